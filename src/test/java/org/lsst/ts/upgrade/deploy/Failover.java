package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lsst.ts.upgrade.RequiresPostgres;

/**
 * Two nodes, one database (issue 14.6), shared by {@link FailoverTests} (in the suite, a short job
 * lock) and {@link FailoverBenchmark} (opt-in, the production lock): two orchestrators in the
 * {@code postgres} profile on a database of their own on the local PostgreSQL, against the
 * standalone twin. A TTS full upgrade's plan is approved on node A, which is killed with SIGKILL at
 * once, while its job executor holds the run's next steps; node B takes the run over (the jobs A
 * had locked, when their lock expires) and brings every CSC OFFLINE without an incident.
 */
final class Failover {
  private static final DateTimeFormatter REST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
      .withZone(ZoneOffset.UTC);

  private Failover() {}

  /**
   * Runs the failover with this job lock time (null: the application's own); returns the takeover
   * time, from the kill to the first step node B completes.
   */
  static Duration run(Path dir, Duration lockTime) throws Exception {
    String database = "failover_" + System.nanoTime();
    String server = "jdbc:postgresql://" + RequiresPostgres.HOST + ":" + RequiresPostgres.PORT + "/";
    try (Connection c = DriverManager.getConnection(server + "test", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    try (Jvms jvms = new Jvms(dir)) {
      Jvms.Twin twin = jvms.startTwin();
      Map<String, String> env = new HashMap<>(Map.of("UPGRADE_DB_URL", server + database, "UPGRADE_DB_USER", "postgres"));
      if (lockTime != null) {
        env.put("CAMUNDA_BPM_JOBEXECUTION_LOCKTIMEINMILLIS", Long.toString(lockTime.toMillis()));
      }
      int portA = Jvms.freePort();
      int portB = Jvms.freePort();
      String apiA = "http://127.0.0.1:" + portA;
      String apiB = "http://127.0.0.1:" + portB;
      // A first: it creates the schema; B joins the same database
      Process nodeA = jvms.startOrchestrator(dir.resolve("node-a"), twin, portA, "a", "postgres", env);
      jvms.startOrchestrator(dir.resolve("node-b"), twin, portB, "b", "postgres", env);

      // the run started on A is seen on B: one database
      String runId = jvms.startTtsFullUpgrade(apiA);
      String plan = jvms.awaitTask(apiB, runId, "UserTask_ApprovePlan");
      jvms.approvePlan(apiA, plan);
      nodeA.destroyForcibly();
      Instant killed = Instant.now();
      assertThat(nodeA.waitFor(30, TimeUnit.SECONDS)).isTrue();

      // B completes a step, then the whole of sending the CSCs OFFLINE, on the twin
      String after = URLEncoder.encode(REST_TIME.format(killed), StandardCharsets.UTF_8);
      Instant[] firstStep = new Instant[1];
      await("node B completes a step of the run").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            JsonNode done = Jvms.JSON.readTree(jvms.get(apiB + "/engine-rest/history/activity-instance?finished=true"
                + "&finishedAfter=" + after + "&sortBy=endTime&sortOrder=asc&maxResults=1", Jvms.ADMIN).body());
            if (done.isEmpty()) {
              return false;
            }
            firstStep[0] = Instant.parse(done.get(0).get("endTime").asText().replaceFirst("([+-]\\d\\d)(\\d\\d)$",
                "$1:$2"));
            return true;
          });
      await("node B sends every CSC OFFLINE").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
          .until(() -> Jvms.JSON.readTree(jvms.get(apiB + "/engine-rest/history/process-instance/count"
              + "?processDefinitionKey=send-cscs-offline&finished=true", Jvms.ADMIN).body()).get("count").asLong() == 1);
      assertThat(Jvms.JSON.readTree(jvms.get(apiB + "/api/runs/" + runId, Jvms.ADMIN).body()).path("incidents"))
          .isEmpty();
      // each ScriptQueue got the shutdown script once: what A added, B did not add again
      JsonNode actions = Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/actions?site=tts&system=love",
          "twin:" + Jvms.CONTROL_PASSWORD).body());
      Map<String, Integer> shutdowns = new HashMap<>();
      for (JsonNode a : actions) {
        if (a.get("action").asText().equals("add-script") && a.toString().contains("system_wide_shutdown")) {
          shutdowns.merge(a.get("target").asText(), 1, Integer::sum);
        }
      }
      assertThat(shutdowns).as("shutdown scripts added per ScriptQueue: " + actions).isNotEmpty()
          .allSatisfy((queue, count) -> assertThat(count).as(queue).isEqualTo(1));
      return Duration.between(killed, firstStep[0]);
    } finally {
      try (Connection c = DriverManager.getConnection(server + "test", "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }
}
