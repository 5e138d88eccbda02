package org.lsst.ts.upgrade.rehearsal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.love.ScriptPaths;

/**
 * The standard scripts the twin's ScriptQueues can run, simulated against {@link TwinCscs}: they
 * validate their configuration like the real ones (a bad one is CONFIGURE_FAILED), act on the
 * simulated CSCs in the real scripts' order, and write what they did to the {@link ActionLog}.
 */
final class TwinLoveScripts {

  /** How a script run ended; {@code afterDone} runs once the script has reported (its own queue going away). */
  record Outcome(boolean ok, String message, Runnable afterDone) {}

  private static final List<String> ATCS = List.of("ATAOS", "ATDome", "ATDomeTrajectory", "ATHexapod", "ATMCS",
      "ATPneumatics", "ATPtg");
  private static final List<String> LATISS = List.of("ATCamera", "ATSpectrograph", "ATHeaderService", "ATOODS");
  private static final List<String> MTCS = List.of("MTAOS", "MTDome", "MTDomeTrajectory", "MTHexapod:1",
      "MTHexapod:2", "MTM1M3", "MTM2", "MTMount", "MTPtg", "MTRotator");
  private static final List<String> LSSTCAM = List.of("MTCamera", "MTHeaderService", "MTOODS");
  private static final Set<String> STATE_COMMANDS = Set.of("start", "enable", "disable", "standby", "exitControl");

  /** Minimal-testing scripts: which CSCs they bring to a state, need ENABLED, and what they do. */
  private record Simple(List<String> ensure, SummaryState to, List<String> requires, String effect) {}

  private static final Map<String, Simple> SIMPLE = Map.ofEntries(
      Map.entry(ScriptPaths.AT_ENABLE_ATCS, new Simple(ATCS, SummaryState.ENABLED, List.of(), "atcs-enabled")),
      Map.entry(ScriptPaths.AT_ENABLE_LATISS, new Simple(LATISS, SummaryState.ENABLED, List.of(), "latiss-enabled")),
      Map.entry(ScriptPaths.AT_PREPARE_ONSKY, new Simple(List.of(), null, List.of("ATDome", "ATMCS", "ATPneumatics"), "prepared-for-onsky")),
      Map.entry(ScriptPaths.AT_TRACK_TARGET, new Simple(List.of(), null, List.of("ATMCS", "ATPtg"), "tracking")),
      Map.entry(ScriptPaths.AT_TAKE_IMAGE, new Simple(List.of(), null, List.of("ATCamera"), "images-taken")),
      Map.entry(ScriptPaths.AT_STOP_TRACKING, new Simple(List.of(), null, List.of("ATMCS", "ATPtg"), "tracking-stopped")),
      Map.entry(ScriptPaths.AT_STANDBY_ATCS, new Simple(ATCS, SummaryState.STANDBY, List.of(), "atcs-standby")),
      Map.entry(ScriptPaths.MT_ENABLE_MTCS, new Simple(MTCS, SummaryState.ENABLED, List.of(), "mtcs-enabled")),
      Map.entry(ScriptPaths.MT_ENABLE_LSSTCAM, new Simple(LSSTCAM, SummaryState.ENABLED, List.of(), "lsstcam-enabled")),
      Map.entry(ScriptPaths.MT_HOME_BOTH_AXES, new Simple(List.of(), null, List.of("MTMount"), "axes-homed")),
      Map.entry(ScriptPaths.MT_ENABLE_HEXAPOD_COMPENSATION, new Simple(List.of(), null, List.of("MTHexapod:1", "MTHexapod:2"), "hexapod-compensation")),
      Map.entry(ScriptPaths.MT_OPEN_DOME, new Simple(List.of(), null, List.of("MTDome"), "dome-open")),
      Map.entry(ScriptPaths.MT_ENABLE_DOME_FOLLOWING, new Simple(List.of(), null, List.of("MTDomeTrajectory"), "dome-following")),
      Map.entry(ScriptPaths.MT_RAISE_M1M3, new Simple(List.of(), null, List.of("MTM1M3"), "m1m3-raised")),
      Map.entry(ScriptPaths.MT_TRACK_TARGET, new Simple(List.of(), null, List.of("MTMount", "MTPtg", "MTRotator"), "tracking")),
      Map.entry(ScriptPaths.MT_TAKE_IMAGE, new Simple(List.of(), null, List.of("MTCamera"), "images-taken")),
      Map.entry(ScriptPaths.MT_STOP_TRACKING, new Simple(List.of(), null, List.of("MTMount", "MTPtg"), "tracking-stopped")),
      Map.entry(ScriptPaths.MT_STANDBY_MTCS, new Simple(MTCS, SummaryState.STANDBY, List.of(), "mtcs-standby")));

  private final TwinCscs cscs;
  private final ActionLog actions;
  private final LatencyModel latency;
  /** What the minimal tests left behind, per site: tracking, playlists, images taken. */
  private final Map<String, Map<String, Object>> effects = new ConcurrentHashMap<>();

  TwinLoveScripts(TwinCscs cscs, ActionLog actions, LatencyModel latency) {
    this.cscs = cscs;
    this.actions = actions;
    this.latency = latency;
  }

  boolean knows(String path) {
    return SIMPLE.containsKey(path) || ScriptPaths.SYSTEM_WIDE_SHUTDOWN.equals(path)
        || ScriptPaths.SET_SUMMARY_STATE.equals(path) || ScriptPaths.RUN_COMMAND.equals(path);
  }

  /** The configuration problem the real script's schema would report, or null. */
  String validate(String site, String path, Map<String, Object> config) {
    switch (path) {
      case ScriptPaths.SYSTEM_WIDE_SHUTDOWN -> {
        String p = only(config, Set.of("user", "reason", "ignore", "start_with", "end_with"));
        if (p != null) {
          return p;
        }
        if (!(config.get("user") instanceof String u) || u.isBlank()) {
          return "'user' is a required property";
        }
        if (!(config.get("reason") instanceof String r) || r.isBlank()) {
          return "'reason' is a required property";
        }
        for (String k : List.of("ignore", "start_with", "end_with")) {
          String bad = idList(config.get(k), k);
          if (bad != null) {
            return bad;
          }
        }
        return null;
      }
      case ScriptPaths.SET_SUMMARY_STATE -> {
        String p = only(config, Set.of("data", "mute_alarms", "mute_duration", "ignore_not_running"));
        if (p != null) {
          return p;
        }
        if (!(config.get("data") instanceof List<?> data) || data.isEmpty()) {
          return "'data' is a required property (a list of [CSC, STATE])";
        }
        for (Object row : data) {
          if (!(row instanceof List<?> r) || r.size() < 2 || r.size() > 3 || !(r.get(0) instanceof String csc)
              || !(r.get(1) instanceof String state)) {
            return "data entry " + row + " is not [CSC, STATE(, override)]";
          }
          if (!"ESS:*".equals(csc)) {
            try {
              CscId.parse(csc);
            } catch (IllegalArgumentException e) {
              return e.getMessage();
            }
          }
          try {
            if (SummaryState.parse(state) == SummaryState.FAULT) {
              return "FAULT is not a valid state for " + csc;
            }
          } catch (IllegalArgumentException e) {
            return e.getMessage();
          }
        }
        if (config.containsKey("mute_alarms") && !(config.get("mute_alarms") instanceof Boolean)) {
          return "'mute_alarms' must be a boolean";
        }
        if (config.containsKey("mute_duration") && !(config.get("mute_duration") instanceof Number)) {
          return "'mute_duration' must be a number";
        }
        return null;
      }
      case ScriptPaths.RUN_COMMAND -> {
        String p = only(config, Set.of("component", "cmd", "parameters", "event", "timeout"));
        if (p != null) {
          return p;
        }
        if (!(config.get("component") instanceof String c)) {
          return "'component' is a required property";
        }
        try {
          CscId.parse(c);
        } catch (IllegalArgumentException e) {
          return e.getMessage();
        }
        if (!(config.get("cmd") instanceof String)) {
          return "'cmd' is a required property";
        }
        if (config.containsKey("parameters") && !(config.get("parameters") instanceof Map)) {
          return "'parameters' must be a mapping";
        }
        return null;
      }
      default -> {
        if (path.endsWith("take_image_latiss.py") || path.endsWith("take_image_lsstcam.py")) {
          Object n = config.get("nimages");
          if (n != null && !(n instanceof Integer i && i > 0)) {
            return "'nimages' must be a positive integer";
          }
        }
        return null;
      }
    }
  }

  Outcome run(String site, int queue, String path, Map<String, Object> config) {
    return switch (path) {
      case ScriptPaths.SYSTEM_WIDE_SHUTDOWN -> systemWideShutdown(site, config);
      case ScriptPaths.SET_SUMMARY_STATE -> setSummaryState(site, queue, config);
      case ScriptPaths.RUN_COMMAND -> runCommand(site, config);
      default -> simple(site, path, config);
    };
  }

  Map<String, Object> effects(String site) {
    return Map.copyOf(effects.getOrDefault(site, Map.of()));
  }

  /** Every running CSC (by heartbeat) OFFLINE, start_with first, end_with last; never the ScriptQueues. */
  private Outcome systemWideShutdown(String site, Map<String, Object> config) {
    Set<CscId> ignore = ids(config.get("ignore"));
    List<CscId> first = new ArrayList<>(ids(config.get("start_with")));
    List<CscId> last = new ArrayList<>(ids(config.get("end_with")));
    LinkedHashSet<CscId> order = new LinkedHashSet<>(first);
    List<CscId> running = cscs.all(site).stream().filter(TwinCscs.SimulatedCsc::beating)
        .map(TwinCscs.SimulatedCsc::id).toList();
    running.stream().filter(id -> !first.contains(id) && !last.contains(id)).forEach(order::add);
    order.addAll(last);
    List<String> failed = new ArrayList<>();
    for (CscId id : order) {
      if ("ScriptQueue".equals(id.component()) || ignore.contains(id) || !running.contains(id)) {
        continue;
      }
      step();
      TwinCscs.CommandResult r = cscs.transitionTo(site, id, SummaryState.OFFLINE);
      if (!r.ok()) {
        failed.add(id + ": " + r.message());
      }
    }
    return failed.isEmpty()
        ? new Outcome(true, "all CSCs OFFLINE", null)
        : new Outcome(false, "failed to send to OFFLINE: " + String.join("; ", failed), null);
  }

  /** In list order; ESS:* is every running ESS; the queue running the script goes last, after reporting. */
  private Outcome setSummaryState(String site, int queue, Map<String, Object> config) {
    if (!Boolean.FALSE.equals(config.get("mute_alarms"))) {
      actions.record(site, "csc", site + "/Watcher", "mute-alarms",
          Map.of("minutes", config.getOrDefault("mute_duration", 30)));
    }
    CscId self = CscId.of("ScriptQueue", queue);
    List<?> data = (List<?>) config.get("data");
    for (int i = 0; i < data.size(); i++) {
      List<?> row = (List<?>) data.get(i);
      String name = (String) row.get(0);
      SummaryState target = SummaryState.parse((String) row.get(1));
      List<CscId> targets = "ESS:*".equals(name)
          ? cscs.all(site).stream().filter(c -> c.beating() && "ESS".equals(c.id().component()))
              .map(TwinCscs.SimulatedCsc::id).toList()
          : List.of(CscId.parse(name));
      for (CscId id : targets) {
        TwinCscs.SimulatedCsc c;
        try {
          c = cscs.get(site, id);
        } catch (IllegalArgumentException e) {
          return new Outcome(false, "no heartbeat from " + id + ": " + e.getMessage(), null);
        }
        if (id.equals(self)) {
          if (i == data.size() - 1 && targets.size() == 1) {
            // the real queue reports the script DONE, then goes down
            return new Outcome(true, "done; " + self + " goes to " + target,
                () -> cscs.transitionTo(site, self, target));
          }
          // not last: the queue goes away under the running script, which never reports
          cscs.transitionTo(site, self, target);
          return new Outcome(false, self + " went to " + target + " while running the script", null);
        }
        if (!c.beating() && target != SummaryState.OFFLINE) {
          return new Outcome(false, id + " is not running (no heartbeat): cannot go to " + target, null);
        }
        step();
        TwinCscs.CommandResult r = cscs.transitionTo(site, id, target);
        if (!r.ok()) {
          return new Outcome(false, "failed to send " + id + " to " + target + ": " + r.message(), null);
        }
      }
    }
    return new Outcome(true, "done", null);
  }

  private Outcome runCommand(String site, Map<String, Object> config) {
    CscId id = CscId.parse((String) config.get("component"));
    String cmd = (String) config.get("cmd");
    TwinCscs.SimulatedCsc c;
    try {
      c = cscs.get(site, id);
    } catch (IllegalArgumentException e) {
      return new Outcome(false, e.getMessage(), null);
    }
    step();
    if (STATE_COMMANDS.contains(cmd)) {
      TwinCscs.CommandResult r = cscs.command(site, id, cmd);
      return new Outcome(r.ok(), r.message(), null);
    }
    if (!c.beating()) {
      return new Outcome(false, "No ack from " + id + " for " + cmd + ": not running", null);
    }
    if (!"setLogLevel".equals(cmd) && c.state() != SummaryState.ENABLED) {
      return new Outcome(false, "Rejected : command " + cmd + " not allowed in state " + c.state(), null);
    }
    Object params = config.getOrDefault("parameters", Map.of());
    actions.record(site, "csc", site + "/" + id, cmd, params instanceof Map<?, ?> m ? stringKeys(m) : Map.of());
    if ("play".equals(cmd) && params instanceof Map<?, ?> m) {
      effects(site, id + ".playlist", String.valueOf(m.get("playlist")));
    }
    return new Outcome(true, "Done", null);
  }

  private Outcome simple(String site, String path, Map<String, Object> config) {
    Simple s = SIMPLE.get(path);
    Set<CscId> present = new LinkedHashSet<>(cscs.all(site).stream().map(TwinCscs.SimulatedCsc::id).toList());
    for (String name : s.ensure()) {
      CscId id = CscId.parse(name);
      if (!present.contains(id)) {
        continue; // not at this site
      }
      step();
      TwinCscs.CommandResult r = cscs.transitionTo(site, id, s.to());
      if (!r.ok()) {
        return new Outcome(false, "failed to send " + id + " to " + s.to() + ": " + r.message(), null);
      }
    }
    for (String name : s.requires()) {
      CscId id = CscId.parse(name);
      if (present.contains(id)) {
        TwinCscs.SimulatedCsc c = cscs.get(site, id);
        if (!c.beating() || c.state() != SummaryState.ENABLED) {
          return new Outcome(false, id + " must be ENABLED (it is " + (c.beating() ? c.state() : "not running") + ")", null);
        }
      }
    }
    String telescope = path.startsWith("auxtel/") ? "auxtel" : "maintel";
    switch (s.effect()) {
      case "tracking" -> effects(site, telescope + ".tracking", config.isEmpty() ? "default target" : config.toString());
      case "tracking-stopped" -> effects(site, telescope + ".tracking", null);
      case "images-taken" -> {
        int n = config.get("nimages") instanceof Integer i ? i : 1;
        for (int k = 1; k <= n; k++) {
          step();
          actions.record(site, "csc", site + "/" + (telescope.equals("auxtel") ? "ATCamera" : "MTCamera"),
              "image-taken", Map.of("image", k, "of", n, "type", String.valueOf(config.getOrDefault("image_type", "?"))));
        }
        effects.computeIfAbsent(site, k -> new ConcurrentHashMap<>()).merge(telescope + ".images", n,
            (a, b) -> (Integer) a + (Integer) b);
      }
      default -> step();
    }
    actions.record(site, "love", site + "/" + path, s.effect(), stringKeys(config));
    return new Outcome(true, s.effect(), null);
  }

  private void effects(String site, String key, Object value) {
    Map<String, Object> m = effects.computeIfAbsent(site, k -> new ConcurrentHashMap<>());
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
  }

  private void step() {
    TwinLoveQueues.pause(latency.of("script.step"));
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> r = new LinkedHashMap<>();
    m.forEach((k, v) -> r.put(String.valueOf(k), v == null ? "" : v));
    return r;
  }

  private static String only(Map<String, Object> config, Set<String> allowed) {
    for (String k : config.keySet()) {
      if (!allowed.contains(k)) {
        return "Additional properties are not allowed ('" + k + "' was unexpected)";
      }
    }
    return null;
  }

  private static String idList(Object value, String key) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> l)) {
      return "'" + key + "' must be a list of CSC names";
    }
    for (Object o : l) {
      try {
        CscId.parse(String.valueOf(o));
      } catch (IllegalArgumentException e) {
        return "'" + key + "': " + e.getMessage();
      }
    }
    return null;
  }

  private static Set<CscId> ids(Object value) {
    Set<CscId> s = new LinkedHashSet<>();
    if (value instanceof List<?> l) {
      l.forEach(o -> s.add(CscId.parse(String.valueOf(o))));
    }
    return s;
  }
}
