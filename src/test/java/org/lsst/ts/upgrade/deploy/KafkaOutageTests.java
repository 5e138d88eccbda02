package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka outage while the CSCs are sent OFFLINE (issue 14.7), on the standalone twin: its broker
 * goes down (fault {@code kafka}/{@code down}) just before the plan is approved, so the shutdown
 * script runs and ends while the orchestrator's CSC monitor is blind, and its end events are lost
 * (the twin's SAL writers drop them after their delivery timeout, here 10 s instead of 30 s to keep
 * the test short: still twice the orchestrator's 5 s heartbeat timeout). Held until 13 s after the
 * script's end: the run does not take the blind monitor's silence for OFFLINE (send-cscs-offline
 * does not finish, nothing is deleted in Kubernetes). With the broker back the run asks the
 * ScriptQueue for the script's state again ({@code cmd_showScript}), learns its end and goes on by
 * itself: the CSCs are sent OFFLINE without an incident, long before the script's 30-minute
 * deadline. One orchestrator (production profile, H2 file), the twin at time scale 0.01; the run
 * goes only as far as send-cscs-offline.
 */
class KafkaOutageTests {
  /** The twin's SAL writers' delivery timeout: an event not taken by then is lost. */
  static final Duration DELIVERY = Duration.ofSeconds(10);

  @Test
  void aKafkaOutageWhileTheCscsAreSentOfflineHoldsTheRunAndItGoesOnWhenTheBrokerIsBack(
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    long t0 = System.nanoTime();
    try (Jvms jvms = new Jvms(dir)) {
      Jvms.Twin twin = jvms.startTwin(List.of("--upgrade.rehearsal.time-scale=0.01",
          "--upgrade.rehearsal.kafka-delivery-timeout=" + DELIVERY.toSeconds() + "s"));
      int port = Jvms.freePort();
      String api = "http://127.0.0.1:" + port;
      jvms.startOrchestrator(dir.resolve("orchestrator"), twin, port, "one", "production", Map.of());
      String runId = jvms.startTtsFullUpgrade(api);
      String plan = jvms.awaitTask(api, runId, "UserTask_ApprovePlan");

      lap(t0, "plan to approve");
      var fault = jvms.post(twin.control() + "/rehearsal/faults", Jvms.TWIN,
          "{\"site\":\"tts\",\"system\":\"kafka\",\"kind\":\"down\"}");
      assertThat(fault.statusCode()).as(fault.body()).isEqualTo(201);
      long faultId = Jvms.JSON.readTree(fault.body()).get("id").asLong();
      jvms.approvePlan(api, plan);

      // the shutdown script is added (LOVE's REST is up) and ends while Kafka is down
      int[] script = new int[1];
      await("the twin's ScriptQueue runs the shutdown script to its end").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500)).until(() -> {
            Optional<Integer> ended = shutdownScriptEnded(jvms, twin);
            ended.ifPresent(i -> script[0] = i);
            return ended.isPresent();
          });
      lap(t0, "shutdown script ended, Kafka down");
      // its end events expire in the producer: the run waits, deleting nothing
      await("the run waits while the monitor is blind").during(DELIVERY.plusSeconds(3))
          .atMost(DELIVERY.plusSeconds(15)).pollInterval(Duration.ofSeconds(1))
          .until(() -> finished(jvms, api, "send-cscs-offline") == 0
              && !jvms.get(twin.control() + "/rehearsal/actions?site=tts&system=kubernetes", Jvms.TWIN).body()
                  .contains("\"deleted\""));

      // the broker back: the script's end asked for again, the CSCs seen OFFLINE, the run goes on
      lap(t0, "broker back");
      assertThat(jvms.delete(twin.control() + "/rehearsal/faults/" + faultId, Jvms.TWIN).statusCode()).isEqualTo(200);
      await("the CSCs sent OFFLINE once Kafka is back").atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500)).until(() -> finished(jvms, api, "send-cscs-offline") == 1);
      lap(t0, "send-cscs-offline finished");
      JsonNode run = Jvms.JSON.readTree(jvms.get(api + "/api/runs/" + runId, Jvms.ADMIN).body());
      assertThat(run.path("incidents")).as(run.toString()).isEmpty();
      assertThat(run.path("tasks").toString()).as("no 'script lost' task").doesNotContain("UserTask_ScriptLost");
      JsonNode love = Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/actions?site=tts&system=love",
          Jvms.TWIN).body());
      boolean askedAgain = false;
      for (JsonNode a : love) {
        askedAgain |= a.get("action").asText().equals("show-script") && a.path("params").path("index").asInt() == script[0];
      }
      assertThat(askedAgain).as("the queue asked for script " + script[0] + " again: " + love).isTrue();
      assertThat(scriptSucceeded(jvms, api)).as("the shutdown script's step succeeded").isTrue();
    }
  }

  private static void lap(long t0, String what) {
    System.out.printf("KafkaOutageTests: %s at %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  /** The index of the shutdown script once the twin's queue has ended it. */
  private static Optional<Integer> shutdownScriptEnded(Jvms jvms, Jvms.Twin twin) throws Exception {
    JsonNode actions = Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/actions?site=tts&system=love",
        Jvms.TWIN).body());
    for (JsonNode a : actions) {
      if (a.get("action").asText().equals("script-ended")
          && a.path("params").path("path").asText().contains("system_wide_shutdown")) {
        String target = a.get("target").asText();
        return Optional.of(Integer.parseInt(target.substring(target.lastIndexOf('/') + 1)));
      }
    }
    return Optional.empty();
  }

  private static boolean scriptSucceeded(Jvms jvms, String api) throws Exception {
    JsonNode vars = Jvms.JSON.readTree(jvms.get(api + "/engine-rest/history/variable-instance?variableName="
        + "scriptSucceeded&processDefinitionKey=run-script", Jvms.ADMIN).body());
    assertThat(vars).as("run-script's outcomes").isNotEmpty();
    boolean all = true;
    for (JsonNode v : vars) {
      all &= v.path("value").asBoolean(false);
    }
    return all;
  }

  private static long finished(Jvms jvms, String api, String processKey) throws Exception {
    return Jvms.JSON.readTree(jvms.get(api + "/engine-rest/history/process-instance/count?processDefinitionKey="
        + processKey + "&finished=true", Jvms.ADMIN).body()).get("count").asLong();
  }
}
