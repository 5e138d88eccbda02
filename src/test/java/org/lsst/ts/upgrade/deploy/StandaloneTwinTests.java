package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
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
  private static final String CONTROL_PASSWORD = "twin-control-test";
  private static final String ADMIN_PASSWORD = "admin-test-password";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void anOrchestratorInAProductionProfileRunsAgainstTheStandaloneTwinAndSurvivesAKill(@TempDir Path dir)
      throws Exception {
    Path jar = StartupTests.JAR;
    if (!Files.isRegularFile(jar)) {
      String why = jar + " was not built (the package phase writes it: ./mvnw verify)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; under CI it is mandatory");
      }
      Assumptions.abort(why + "; skipped outside CI");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    // the twin: the documented command of docs/rehearsal.md
    Path out = dir.resolve("twin");
    ProcessBuilder twin = new ProcessBuilder(java, "-Xmx512m",
        "-Dloader.main=org.lsst.ts.upgrade.rehearsal.TwinApplication", "-cp", jar.toString(),
        "org.springframework.boot.loader.launch.PropertiesLauncher", "--upgrade.twin.out-dir=" + out)
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("twin.log").toFile());
    twin.environment().put("TWIN_PORT", "0");
    twin.environment().put("UPGRADE_TWIN_CONTROL_PASSWORD", CONTROL_PASSWORD);
    twin.environment().remove("SPRING_PROFILES_ACTIVE");
    processes.add(twin.start());
    Path envFile = out.resolve("orchestrator.env");
    await("the twin's orchestrator.env (log: " + dir.resolve("twin.log") + ")").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200)).until(() -> Files.isRegularFile(envFile));
    String control = Files.readString(out.resolve("control-url")).trim();
    assertThat(get(control + "/rehearsal/faults", null).statusCode()).as("the control API without a password")
        .isEqualTo(401);
    assertThat(get(control + "/rehearsal/faults", "twin:" + CONTROL_PASSWORD).statusCode()).isEqualTo(200);
    Map<String, String> env = readEnv(envFile);
    assertThat(env).containsEntry("UPGRADE_BUILTIN_SITES", "false").containsKey("UPGRADE_SITES_DIR");
    assertThat(Files.readString(out.resolve("sites/tts.yaml"))).contains("love: http://127.0.0.1:");

    // the orchestrator: a production profile, the H2 file in its working directory, nothing of the rehearsal
    Path work = Files.createDirectories(dir.resolve("orchestrator"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String api = "http://127.0.0.1:" + port;
    Process orchestrator = startOrchestrator(java, jar, work, env, port, "first");
    String admin = "admin:" + ADMIN_PASSWORD;
    // as an operator would: the CSC monitor has read the twin's Kafka before the run starts (or the
    // preflight says it has not, and asks to check again)
    await("the CSC monitor reads the twin's Kafka").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> Files.readString(work.resolve("orchestrator-first.log"))
            .contains("CSC monitor of tts has read the recent history"));
    HttpResponse<String> started = post(api + "/api/runs", admin, """
        {"process":"full-upgrade","site":"tts","cycle":"Cycle 40","breakingSchemaChange":false,
         "phalanxRef":"tickets/DM-12345"}""");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String runId = JSON.readTree(started.body()).get("runId").asText();
    String taskId = awaitTask(api, admin, runId, "UserTask_ApprovePlan");

    // kill -9 while the plan waits; the same database, the same twin
    orchestrator.destroyForcibly();
    assertThat(orchestrator.waitFor(30, TimeUnit.SECONDS)).isTrue();
    startOrchestrator(java, jar, work, env, port, "second");
    assertThat(awaitTask(api, admin, runId, "UserTask_ApprovePlan")).as("the same task after the restart")
        .isEqualTo(taskId);
    assertThat(post(api + "/engine-rest/task/" + taskId + "/claim", admin, "{\"userId\":\"admin\"}").statusCode())
        .isEqualTo(204);
    HttpResponse<String> approved = post(api + "/engine-rest/task/" + taskId + "/submit-form", admin,
        "{\"variables\":{\"planDecision\":{\"value\":\"approve\"}}}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
    await("the twin's LOVE receives the shutdown script").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          JsonNode actions = JSON.readTree(get(control + "/rehearsal/actions?site=tts&system=love",
              "twin:" + CONTROL_PASSWORD).body());
          for (JsonNode a : actions) {
            if (a.get("action").asText().equals("add-script")) {
              return true;
            }
          }
          return false;
        });
  }

  private Process startOrchestrator(String java, Path jar, Path work, Map<String, String> env, int port, String name)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(),
        "--spring.profiles.active=production", "--server.port=" + port)
        .directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("orchestrator-" + name + ".log").toFile());
    pb.environment().putAll(env);
    pb.environment().put("UPGRADE_ADMIN_PASSWORD", ADMIN_PASSWORD);
    pb.environment().remove("SPRING_PROFILES_DEFAULT");
    Process p = pb.start();
    processes.add(p);
    URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
    await("the " + name + " orchestrator healthy (log: " + work.resolve("orchestrator-" + name + ".log") + ")")
        .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> {
          assertThat(p.isAlive()).as("the orchestrator process is alive").isTrue();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(readiness).build(),
              HttpResponse.BodyHandlers.ofString());
          return r.statusCode() == 200;
        });
    return p;
  }

  private String awaitTask(String api, String user, String runId, String taskKey) {
    String[] id = new String[1];
    String[] last = new String[1];
    try {
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = get(api + "/api/runs/" + runId, user).body();
            JsonNode run = JSON.readTree(last[0]);
            for (JsonNode t : run.path("tasks")) {
              if (t.get("taskDefinitionKey").asText().equals("UserTask_ReviewPreflightProblems")) {
                fail("the preflight found problems: " + get(api + "/engine-rest/process-instance/"
                    + t.get("processInstanceId").asText() + "/variables/preflightProblemsText", user).body());
              }
              if (t.get("taskDefinitionKey").asText().equals(taskKey)) {
                id[0] = t.get("id").asText();
                return true;
              }
            }
            assertThat(run.path("incidents")).as("incidents of " + runId).isEmpty();
            return false;
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no task " + taskKey + " in run " + runId + " within 2 minutes; the run: " + last[0], e);
    }
    return id[0];
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  private HttpResponse<String> get(String url, String user) throws IOException, InterruptedException {
    return http.send(request(url, user).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String user, String body) throws IOException, InterruptedException {
    return http.send(request(url, user).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String url, String user) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }
}
