package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The twin as its own process (issue 14.1): the packaged jar started as the standalone twin writes
 * its site files and {@code orchestrator.env}; an orchestrator in a production profile (the H2 file,
 * no rehearsal beans, no demo users) started with that environment runs a TTS full upgrade's
 * preflight against it, is killed with SIGKILL while its plan waits for approval, restarts on the
 * same database against the same twin, and goes on: the task is the same one, and approving it
 * makes the twin's LOVE receive the shutdown script. Failsafe runs it after the package phase;
 * without the jar it skips, except under CI.
 */
class StandaloneTwinTests {

  @Test
  void anOrchestratorInAProductionProfileRunsAgainstTheStandaloneTwinAndSurvivesAKill(
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
      throws Exception {
    try (Jvms jvms = new Jvms(dir)) {
      Jvms.Twin twin = jvms.startTwin();
      assertThat(jvms.get(twin.control() + "/rehearsal/faults", null).statusCode())
          .as("the control API without a password").isEqualTo(401);
      assertThat(jvms.get(twin.control() + "/rehearsal/faults", "twin:" + Jvms.CONTROL_PASSWORD).statusCode())
          .isEqualTo(200);
      assertThat(twin.env()).containsEntry("UPGRADE_BUILTIN_SITES", "false").containsKey("UPGRADE_SITES_DIR");
      assertThat(Files.readString(twin.out().resolve("sites/tts.yaml"))).contains("love: http://127.0.0.1:");

      // a production profile, the H2 file in its working directory, nothing of the rehearsal
      Path work = dir.resolve("orchestrator");
      int port = Jvms.freePort();
      String api = "http://127.0.0.1:" + port;
      Process first = jvms.startOrchestrator(work, twin, port, "first", "production", Map.of());
      String runId = jvms.startTtsFullUpgrade(api);
      String taskId = jvms.awaitTask(api, runId, "UserTask_ApprovePlan");

      // kill -9 while the plan waits; the same database, the same twin
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      jvms.startOrchestrator(work, twin, port, "second", "production", Map.of());
      assertThat(jvms.awaitTask(api, runId, "UserTask_ApprovePlan")).as("the same task after the restart")
          .isEqualTo(taskId);
      jvms.approvePlan(api, taskId);
      await("the twin's LOVE receives the shutdown script").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode actions = Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/actions?site=tts&system=love",
                "twin:" + Jvms.CONTROL_PASSWORD).body());
            for (JsonNode a : actions) {
              if (a.get("action").asText().equals("add-script")) {
                return true;
              }
            }
            return false;
          });
    }
  }
}
