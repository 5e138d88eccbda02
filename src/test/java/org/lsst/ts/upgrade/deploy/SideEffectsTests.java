package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/** What the chaos benchmark counts as one logical step, and as its side effect repeated. */
class SideEffectsTests {
  private final Site tts = new Sites(new SiteProperties(null, true)).require("tts");
  private final ArrayNode log = Jvms.JSON.createArrayNode();

  private void action(String system, String target, String action, Map<String, Object> params) {
    ObjectNode a = log.addObject();
    a.put("system", system).put("target", target).put("action", action);
    a.set("params", Jvms.JSON.valueToTree(params));
  }

  private Map<String, Integer> repeated(String kind) {
    List<SideEffects.Count> counts = SideEffects.count(log, tts);
    return counts.stream().filter(c -> c.kind().equals(kind)).findFirst().orElseThrow().repeated();
  }

  @Test
  void theSameScriptTagAddedTwiceIsADuplicateTheSameScriptWithAnotherTagIsNot() {
    String path = "set_summary_state.py";
    action("love", "tts/ScriptQueue:1", "add-script", Map.of("path", path, "config", "{}", "descr", "offline [tag:p1/0]"));
    action("love", "tts/ScriptQueue:1", "add-script", Map.of("path", path, "config", "{}", "descr", "again [tag:p2/0]"));
    assertThat(repeated("LOVE script add")).isEmpty();
    action("love", "tts/ScriptQueue:1", "add-script", Map.of("path", path, "config", "{}", "descr", "offline [tag:p1/0]"));
    assertThat(repeated("LOVE script add")).containsEntry("tts/ScriptQueue:1 tag p1/0", 2);
  }

  @Test
  void aRebootIsOneStepPerRequestRecordAndALaunchOnePerHostAndCommand() {
    action("ssh", "tts/auxtel-mcm", "boot-id-record", Map.of("file", "/tmp/jobs/r1.boot_id"));
    action("ssh", "tts/auxtel-mcm", "reboot", Map.of());
    action("ssh", "tts/auxtel-mcm", "boot-id-record", Map.of("file", "/tmp/jobs/r2.boot_id"));
    action("ssh", "tts/auxtel-mcm", "reboot", Map.of());
    String start = "sudo systemctl start ats-ocs-bridge.service";
    action("ssh", "tts/auxtel-mcm", "detached-start", Map.of("dir", "/tmp/jobs/hoststep-a-p1-0", "commands", List.of(start)));
    action("ssh", "tts/auxtel-mcm", "exec", Map.of("command", start));
    // the same command in another host step, and in the retry of a failed job: steps of their own
    action("ssh", "tts/auxtel-mcm", "detached-start", Map.of("dir", "/tmp/jobs/hoststep-b-p2-0", "commands", List.of(start)));
    action("ssh", "tts/auxtel-mcm", "exec", Map.of("command", start));
    action("ssh", "tts/auxtel-mcm", "detached-start", Map.of("dir", "/tmp/jobs/hoststep-b-p2-1", "commands", List.of(start)));
    action("ssh", "tts/auxtel-mcm", "exec", Map.of("command", start));
    action("ssh", "tts/auxtel-mcm", "exec", Map.of("command", "hostname"));
    action("ssh", "tts/auxtel-mcm", "exec", Map.of("command", "hostname"));
    assertThat(repeated("host reboot")).isEmpty();
    assertThat(repeated("launch/shutdown on a host")).isEmpty();

    action("ssh", "tts/auxtel-mcm", "reboot", Map.of());
    action("ssh", "tts/auxtel-mcm", "exec", Map.of("command", start));
    action("ssh", "tts/auxtel-mcm", "detached-start", Map.of("dir", "/tmp/jobs/j1", "commands", List.of()));
    action("ssh", "tts/auxtel-mcm", "detached-start", Map.of("dir", "/tmp/jobs/j1", "commands", List.of()));
    assertThat(repeated("host reboot")).containsEntry("tts/auxtel-mcm /tmp/jobs/r2.boot_id", 2);
    assertThat(repeated("launch/shutdown on a host")).containsOnlyKeys(
        "tts/auxtel-mcm " + start + " in hoststep-b-p2-1", "tts/auxtel-mcm detached job /tmp/jobs/j1");
  }

  @Test
  void aNamespaceDeletedTwiceIsADuplicateItsPodsAreNotCounted() {
    action("kubernetes", "tts/Namespace/auxtel", "deleted", Map.of());
    action("kubernetes", "tts/Pod/auxtel/atdome-0", "deleted", Map.of());
    action("kubernetes", "tts/Pod/auxtel/atdome-0", "deleted", Map.of());
    assertThat(repeated("namespace deletion")).isEmpty();
    action("kubernetes", "tts/Namespace/auxtel", "deleted", Map.of());
    assertThat(repeated("namespace deletion")).containsEntry("tts/Namespace/auxtel", 2);
    JsonNode none = Jvms.JSON.createArrayNode();
    assertThat(SideEffects.duplicates(SideEffects.count(none, tts))).isZero();
  }
}
