package org.lsst.ts.upgrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.Site;

/**
 * The side effects that must never happen twice for one logical step, counted in the twin's action
 * log ({@code GET /rehearsal/actions?site=}). One logical step is:
 * <ul>
 *   <li>a LOVE script add: the ScriptQueue and the add's tag ({@code [tag:...]} at the end of its
 *       {@code descr}; the orchestrator's idempotency key: the scripts' process instance and position,
 *       or the run and the script's path). Scripts run again by design (set_summary_state for the
 *       CSCs ignoring OFFLINE, a retry after a failure the person chose) have tags of their own;
 *   <li>a host reboot: the host and its reboot request (the boot-id record file written in the
 *       same SSH session just before the reboot: one per request, kept on the host);
 *   <li>a launch or shutdown on a host: the host, one of its {@code startup} / {@code shutdown}
 *       commands of the site file, run ({@code exec}), and the detached job it ran in (the latest
 *       {@code detached-start} on that host listing the command; its directory names the host step,
 *       its process instance and its attempt: {@code hoststep-crio-startup-<id>-0}). The same command
 *       in two host steps is two steps by design (a VMS cRIO's service is started after its rebuild,
 *       then again by the bring-up), and a retry after a failed job is a new attempt; a detached job
 *       started twice in the same directory counts too (the twin answers {@code detached-exists});
 *   <li>a namespace deletion: the namespace (it is deleted once by the clean-up and recreated by
 *       the redeploy; a second deletion destroys what the run deployed).
 * </ul>
 * A step counts as duplicated when the twin received its side effect more than once.
 */
final class SideEffects {
  private static final Pattern TAG = Pattern.compile("\\[tag:([^\\]]+)\\]\\s*$");

  /** One kind of side effect: how many logical steps, and those that ran more than once. */
  record Count(String kind, int steps, Map<String, Integer> repeated) {}

  private SideEffects() {}

  static List<Count> count(JsonNode actions, Site site) {
    Map<String, Integer> adds = new LinkedHashMap<>();
    Map<String, Integer> reboots = new LinkedHashMap<>();
    Map<String, Integer> hostCommands = new LinkedHashMap<>();
    Map<String, Integer> namespaces = new LinkedHashMap<>();
    Map<String, String> lastBootRecord = new HashMap<>();
    Map<String, List<JsonNode>> detachedStarts = new HashMap<>();
    for (JsonNode a : actions) {
      String system = a.path("system").asText();
      String action = a.path("action").asText();
      String target = a.path("target").asText();
      JsonNode p = a.path("params");
      if (system.equals("love") && action.equals("add-script")) {
        Matcher m = TAG.matcher(p.path("descr").asText());
        String step = m.find() ? "tag " + m.group(1) : p.path("path").asText() + " " + p.path("config").asText();
        adds.merge(target + " " + step, 1, Integer::sum);
      } else if (system.equals("ssh") && action.equals("boot-id-record")) {
        lastBootRecord.put(target, p.path("file").asText());
      } else if (system.equals("ssh") && action.equals("reboot")) {
        reboots.merge(target + " " + lastBootRecord.getOrDefault(target, "(no boot-id record)"), 1, Integer::sum);
      } else if (system.equals("ssh") && action.equals("exec") && isLaunchOrShutdown(site, target,
          p.path("command").asText())) {
        hostCommands.merge(target + " " + p.path("command").asText() + " in " + job(detachedStarts.get(target),
            p.path("command").asText()), 1, Integer::sum);
      } else if (system.equals("ssh") && action.equals("detached-start")) {
        detachedStarts.computeIfAbsent(target, k -> new ArrayList<>()).add(p);
        hostCommands.merge(target + " detached job " + p.path("dir").asText(), 1, Integer::sum);
      } else if (system.equals("kubernetes") && action.equals("deleted") && target.contains("/Namespace/")) {
        namespaces.merge(target, 1, Integer::sum);
      }
    }
    List<Count> out = new ArrayList<>();
    out.add(of("LOVE script add", adds));
    out.add(of("host reboot", reboots));
    out.add(of("launch/shutdown on a host", hostCommands));
    out.add(of("namespace deletion", namespaces));
    return out;
  }

  /** The job a command ran in: the latest detached job started on the host with that command. */
  private static String job(List<JsonNode> starts, String command) {
    for (int i = starts == null ? -1 : starts.size() - 1; i >= 0; i--) {
      for (JsonNode c : starts.get(i).path("commands")) {
        if (c.asText().equals(command)) {
          String dir = starts.get(i).path("dir").asText();
          return dir.substring(dir.lastIndexOf('/') + 1);
        }
      }
    }
    return "(no detached job)";
  }

  private static boolean isLaunchOrShutdown(Site site, String target, String command) {
    String host = target.substring(target.indexOf('/') + 1);
    return site.host(host).map(h -> Set.copyOf(h.startup()).contains(command) || Set.copyOf(h.shutdown()).contains(command))
        .orElse(false);
  }

  private static Count of(String kind, Map<String, Integer> steps) {
    Map<String, Integer> repeated = new LinkedHashMap<>();
    steps.forEach((k, n) -> {
      if (n > 1) {
        repeated.put(k, n);
      }
    });
    return new Count(kind, steps.size(), repeated);
  }

  static int duplicates(List<Count> counts) {
    return counts.stream().mapToInt(c -> c.repeated().size()).sum();
  }
}
