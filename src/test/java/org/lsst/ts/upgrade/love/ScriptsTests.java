package org.lsst.ts.upgrade.love;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site.StateRequest;

class ScriptsTests {
  final LoveClient client = new LoveClient((LoveHttp) null, null, null, null,
      new LoveProperties(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, 20, "cmd_showQueue", "cmd_showScript"));
  final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  @SuppressWarnings("unchecked")
  Map<String, Object> roundTrip(ScriptRequest r) throws Exception {
    String text = client.configYaml(r.config());
    return yaml.readValue(text, Map.class);
  }

  @Test
  void systemWideShutdownConfigIsValidYamlWithTheSeedsKeys() throws Exception {
    ScriptRequest r = Scripts.systemWideShutdown("operator: \"x\"", "Upgrade #42: cycle 40", List.of(CscId.of("Watcher")),
        List.of(CscId.of("MTM1M3TS")), List.of(CscId.of("ESS", 104)));
    assertThat(r.path()).isEqualTo("system_wide_shutdown.py");
    assertThat(r.standard()).isTrue();
    Map<String, Object> back = roundTrip(r);
    // quotes, colons and '#' survive because a YAML library wrote them
    assertThat(back).containsEntry("user", "operator: \"x\"").containsEntry("reason", "Upgrade #42: cycle 40")
        .containsEntry("start_with", List.of("Watcher")).containsEntry("end_with", List.of("MTM1M3TS"))
        .containsEntry("ignore", List.of("ESS:104"));
  }

  @Test
  void setSummaryStateKeepsTheOrderAndAllowsEssStar() throws Exception {
    ScriptRequest r = Scripts.setSummaryState(List.of(new StateRequest("ScriptQueue:3", "offline"),
        new StateRequest("ESS:*", "ENABLED"), new StateRequest("ScriptQueue:1", "OFFLINE")), false, null);
    Map<String, Object> back = roundTrip(r);
    assertThat(back.get("data")).isEqualTo(List.of(List.of("ScriptQueue:3", "OFFLINE"), List.of("ESS:*", "ENABLED"),
        List.of("ScriptQueue:1", "OFFLINE")));
    assertThat(back).containsEntry("mute_alarms", false).doesNotContainKey("mute_duration");
    assertThat(roundTrip(Scripts.setSummaryState(List.of(new StateRequest("Watcher", "OFFLINE")), true, 45)))
        .containsEntry("mute_alarms", true).containsEntry("mute_duration", 45);
  }

  @Test
  void badInputSaysWhatAndWhere() {
    assertThatThrownBy(() -> Scripts.setSummaryState(List.of(new StateRequest("ATDome", "ENABLED"),
        new StateRequest("ATMCS", "FAULT")), true, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data[1]").hasMessageContaining("FAULT");
    assertThatThrownBy(() -> Scripts.setSummaryState(List.of(new StateRequest("AT Dome", "ENABLED")), true, null))
        .hasMessageContaining("data[0]").hasMessageContaining("AT Dome");
    assertThatThrownBy(() -> Scripts.setSummaryState(List.of(new StateRequest("ATDome", "ON")), true, null))
        .hasMessageContaining("'ON' is not a summary state");
    assertThatThrownBy(() -> Scripts.setSummaryState(List.of(), true, null)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> Scripts.systemWideShutdown(" ", "r", null, null, null)).hasMessageContaining("'user'");
    assertThatThrownBy(() -> Scripts.runCommand(CscId.of("ATCamera"), "play; rm", Map.of(), null))
        .hasMessageContaining("not a command name");
  }

  @Test
  void runCommandAndTheMinimalTestsCarryTheSeedsConfigurations() throws Exception {
    Map<String, Object> play = roundTrip(Scripts.loadPlaylist(CscId.of("ATCamera"), "bias"));
    assertThat(play).containsEntry("component", "ATCamera").containsEntry("cmd", "play")
        .containsEntry("parameters", Map.of("playlist", "bias", "repeat", true));
    List<ScriptRequest> at = Scripts.auxtelMinimalTesting(true);
    assertThat(at).extracting(ScriptRequest::path).containsExactly("auxtel/enable_atcs.py", "auxtel/enable_latiss.py",
        "run_command.py", "auxtel/prepare_for/onsky.py", "auxtel/track_target.py", "auxtel/take_image_latiss.py",
        "auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
    assertThat(roundTrip(at.get(4))).isEqualTo(Map.of("slew_icrs", Map.of("ra", 18.0, "dec", -20.0)));
    assertThat(roundTrip(at.get(5))).isEqualTo(Map.of("nimages", 5, "image_type", "BIAS", "program",
        "IntegrationTesting", "reason", "minimal_testing"));
    assertThat(Scripts.auxtelMinimalTesting(false)).extracting(ScriptRequest::path)
        .doesNotContain("auxtel/take_image_latiss.py", "run_command.py").contains("auxtel/track_target.py");
    List<ScriptRequest> mt = Scripts.maintelMinimalTesting(true);
    assertThat(roundTrip(mt.stream().filter(r -> r.path().equals("maintel/track_target.py")).findFirst().orElseThrow()))
        .isEqualTo(Map.of("target_name", "HD164461", "rot_value", 80.0, "rot_type", "PhysicalSky", "track_for", 30));
    assertThat(roundTrip(mt.stream().filter(r -> r.path().equals("maintel/take_image_lsstcam.py")).findFirst()
        .orElseThrow())).isEqualTo(Map.of("exp_times", 30, "nimages", 5, "image_type", "ACQ", "reason", "minimal_testing"));
    assertThat(client.configYaml(Map.of())).isEmpty();
  }
}
