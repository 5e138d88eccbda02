package org.lsst.ts.upgrade.love;

import static org.lsst.ts.upgrade.love.ScriptPaths.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.site.Site.StateRequest;

/**
 * Builders of the standard scripts the runbook adds to a ScriptQueue, with typed, validated
 * configurations (the client renders them as YAML). Bad input is an IllegalArgumentException that
 * says which value is wrong. Requests carry no tag: give one with {@link ScriptRequest#withTag}
 * that is stable across retries of the same step (e.g. process instance + activity id).
 */
public final class Scripts {

  /** {@code ESS:*}: every running ESS index ({@code set_summary_state.py} expands it). */
  public static final String ALL_ESS = "ESS:*";

  private static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{1,500}");

  private Scripts() {}

  /**
   * {@code system_wide_shutdown.py}: every running CSC to OFFLINE, {@code startWith} first (put the
   * Watcher there), {@code endWith} last, {@code ignore} skipped; the script never shuts down the
   * ScriptQueues.
   */
  public static ScriptRequest systemWideShutdown(String user, String reason, List<CscId> startWith,
      List<CscId> endWith, List<CscId> ignore) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("user", text("user", user));
    config.put("reason", text("reason", reason));
    putIds(config, "start_with", startWith);
    putIds(config, "end_with", endWith);
    putIds(config, "ignore", ignore);
    return request(SYSTEM_WIDE_SHUTDOWN, config, "System-wide shutdown: " + reason);
  }

  /**
   * {@code set_summary_state.py}: each {@code [CSC, STATE]} in order; {@code ESS:*} allowed; FAULT
   * is not a state one can ask for.
   *
   * @param muteDuration minutes, or null for the script's default (30)
   */
  public static ScriptRequest setSummaryState(List<StateRequest> data, boolean muteAlarms, Integer muteDuration) {
    if (data == null || data.isEmpty()) {
      throw new IllegalArgumentException("set_summary_state.py needs at least one [CSC, STATE] entry in 'data'");
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      StateRequest r = data.get(i);
      if (r == null) {
        throw new IllegalArgumentException("set_summary_state.py data[" + i + "] is empty");
      }
      String csc = r.csc() == null ? "" : r.csc().trim();
      if (!ALL_ESS.equals(csc)) {
        try {
          csc = CscId.parse(csc).toString();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("set_summary_state.py data[" + i + "]: " + e.getMessage(), e);
        }
      }
      SummaryState state;
      try {
        state = SummaryState.parse(r.state());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("set_summary_state.py data[" + i + "] (" + csc + "): " + e.getMessage(), e);
      }
      if (state == SummaryState.FAULT) {
        throw new IllegalArgumentException("set_summary_state.py data[" + i + "] (" + csc
            + "): FAULT cannot be requested; use OFFLINE, STANDBY, DISABLED or ENABLED");
      }
      rows.add(List.of(csc, state.name()));
    }
    if (muteDuration != null && muteDuration <= 0) {
      throw new IllegalArgumentException("set_summary_state.py mute_duration must be a positive number of minutes: " + muteDuration);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("data", rows);
    config.put("mute_alarms", muteAlarms);
    if (muteDuration != null) {
      config.put("mute_duration", muteDuration);
    }
    String what = rows.size() == 1 ? rows.get(0).get(0) + " to " + rows.get(0).get(1) : rows.size() + " CSCs";
    return request(SET_SUMMARY_STATE, config, "Set summary state: " + what);
  }

  /** {@code set_summary_state.py} for a list of CSCs all to the same state. */
  public static ScriptRequest setSummaryState(List<CscId> cscs, SummaryState state, boolean muteAlarms) {
    Objects.requireNonNull(state, "state");
    return setSummaryState(cscs.stream().map(c -> new StateRequest(c.toString(), state.name())).toList(), muteAlarms, null);
  }

  /**
   * {@code run_command.py}: sends {@code cmd} with {@code parameters} to {@code component}.
   *
   * @param event optional event to wait for after the command (null: none)
   */
  public static ScriptRequest runCommand(CscId component, String cmd, Map<String, Object> parameters, String event) {
    Objects.requireNonNull(component, "component");
    if (cmd == null || !cmd.matches("[a-zA-Z][a-zA-Z0-9_]{0,63}")) {
      throw new IllegalArgumentException("run_command.py: '" + cmd + "' is not a command name");
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("component", component.toString());
    config.put("cmd", cmd);
    config.put("parameters", parameters == null ? Map.of() : new LinkedHashMap<>(parameters));
    if (event != null) {
      if (!event.matches("[a-zA-Z][a-zA-Z0-9_]{0,63}")) {
        throw new IllegalArgumentException("run_command.py: '" + event + "' is not an event name");
      }
      config.put("event", event);
    }
    return request(RUN_COMMAND, config, "Run command " + component + " " + cmd);
  }

  /** A standard script without configuration. */
  public static ScriptRequest standard(String path, String description) {
    return request(path, Map.of(), description);
  }

  // --- minimal testing (seed: "Minimal Testing"); configurations as the seed gives them

  /** Loads a camera playlist ({@code run_command.py}: {@code play} with {@code playlist}, {@code repeat}). */
  public static ScriptRequest loadPlaylist(CscId camera, String playlist) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("playlist", text("playlist", playlist));
    p.put("repeat", true);
    return runCommand(camera, "play", p, null);
  }

  public static ScriptRequest auxtelTrackTarget(double raHours, double decDeg) {
    Map<String, Object> icrs = new LinkedHashMap<>();
    icrs.put("ra", raHours);
    icrs.put("dec", decDeg);
    return request(AT_TRACK_TARGET, Map.of("slew_icrs", icrs), "AuxTel: track target");
  }

  public static ScriptRequest auxtelTakeImages(int nimages, String imageType) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("nimages", positive("nimages", nimages));
    c.put("image_type", text("image_type", imageType));
    c.put("program", "IntegrationTesting");
    c.put("reason", "minimal_testing");
    return request(AT_TAKE_IMAGE, c, "AuxTel: take " + nimages + " " + imageType + " images");
  }

  public static ScriptRequest maintelTrackTarget(String targetName, double rotValue, String rotType, int trackFor) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("target_name", text("target_name", targetName));
    c.put("rot_value", rotValue);
    c.put("rot_type", text("rot_type", rotType));
    c.put("track_for", positive("track_for", trackFor));
    return request(MT_TRACK_TARGET, c, "MainTel: track " + targetName);
  }

  public static ScriptRequest maintelTakeImages(int expTime, int nimages, String imageType) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("exp_times", positive("exp_times", expTime));
    c.put("nimages", positive("nimages", nimages));
    c.put("image_type", text("image_type", imageType));
    c.put("reason", "minimal_testing");
    return request(MT_TAKE_IMAGE, c, "MainTel: take " + nimages + " " + imageType + " images");
  }

  /**
   * The AuxTel minimal test (ScriptQueue:2), in order. Without images (TTS: its cameras cannot take
   * any) it tracks only. The housekeeping notebook runs outside LOVE (Nublado / argo-workflows).
   */
  public static List<ScriptRequest> auxtelMinimalTesting(boolean takesImages) {
    List<ScriptRequest> l = new ArrayList<>();
    l.add(standard(AT_ENABLE_ATCS, "AuxTel minimal testing: enable ATCS"));
    if (takesImages) {
      l.add(standard(AT_ENABLE_LATISS, "AuxTel minimal testing: enable LATISS"));
      l.add(loadPlaylist(CscId.of("ATCamera"), "bias"));
    }
    l.add(standard(AT_PREPARE_ONSKY, "AuxTel minimal testing: prepare for on-sky"));
    l.add(auxtelTrackTarget(18, -20));
    if (takesImages) {
      l.add(auxtelTakeImages(5, "BIAS"));
    }
    l.add(standard(AT_STOP_TRACKING, "AuxTel minimal testing: stop tracking"));
    l.add(standard(AT_STANDBY_ATCS, "AuxTel minimal testing: ATCS to STANDBY"));
    return l;
  }

  /** The MainTel minimal test (ScriptQueue:1), in order; without images it tracks only. */
  public static List<ScriptRequest> maintelMinimalTesting(boolean takesImages) {
    List<ScriptRequest> l = new ArrayList<>();
    l.add(standard(MT_ENABLE_MTCS, "MainTel minimal testing: enable MTCS"));
    if (takesImages) {
      l.add(standard(MT_ENABLE_LSSTCAM, "MainTel minimal testing: enable LSSTCam"));
      l.add(loadPlaylist(CscId.of("MTCamera"), "lsstcam-20250530"));
    }
    l.add(standard(MT_HOME_BOTH_AXES, "MainTel minimal testing: home both axes"));
    l.add(standard(MT_ENABLE_HEXAPOD_COMPENSATION, "MainTel minimal testing: hexapod compensation mode"));
    l.add(standard(MT_OPEN_DOME, "MainTel minimal testing: open dome"));
    l.add(standard(MT_ENABLE_DOME_FOLLOWING, "MainTel minimal testing: dome following"));
    l.add(standard(MT_RAISE_M1M3, "MainTel minimal testing: raise M1M3"));
    l.add(maintelTrackTarget("HD164461", 80.0, "PhysicalSky", 30));
    if (takesImages) {
      l.add(maintelTakeImages(30, 5, "ACQ"));
    }
    l.add(standard(MT_STOP_TRACKING, "MainTel minimal testing: stop tracking"));
    return l;
  }

  private static ScriptRequest request(String path, Map<String, Object> config, String description) {
    return new ScriptRequest(path, true, config, description, null);
  }

  private static void putIds(Map<String, Object> config, String key, List<CscId> ids) {
    if (ids != null && !ids.isEmpty()) {
      if (ids.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException("system_wide_shutdown.py '" + key + "' contains an empty entry");
      }
      config.put(key, ids.stream().map(CscId::toString).toList());
    }
  }

  private static String text(String name, String value) {
    if (value == null || !TEXT.matcher(value.trim()).matches()) {
      throw new IllegalArgumentException("'" + name + "' must be 1 to 500 printable characters, got '" + value + "'");
    }
    return value.trim();
  }

  private static int positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("'" + name + "' must be positive, got " + v);
    }
    return v;
  }
}
