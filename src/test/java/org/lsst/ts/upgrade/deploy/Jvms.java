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
import org.junit.jupiter.api.Assumptions;

/**
 * The packaged jar's processes for the failsafe tests: the standalone twin and orchestrators in a
 * production profile, each in its own JVM with its log in the test's directory; HTTP helpers for
 * their APIs. {@link #close} stops what is still running.
 */
final class Jvms implements AutoCloseable {
  static final String CONTROL_PASSWORD = "twin-control-test";
  static final String ADMIN = "admin:admin-test-password";
  /** The standalone twin's control API user. */
  static final String TWIN = "twin:" + CONTROL_PASSWORD;
  static final ObjectMapper JSON = new ObjectMapper();

  /** The packaged jar (the package phase writes it). */
  static final Path JAR = Path.of("target", "upgrade-orchestrator.jar").toAbsolutePath();
  /** This JDK's java launcher: every JVM the tests start runs on it. */
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();

  Jvms(Path dir) {
    this.dir = dir;
  }

  /** The packaged jar, or skip (fail under CI) when the package phase has not written it. */
  static Path jar() {
    Path jar = JAR;
    if (!Files.isRegularFile(jar)) {
      String why = jar + " was not built (the package phase writes it: ./mvnw verify)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; under CI it is mandatory");
      }
      Assumptions.abort(why + "; skipped outside CI");
    }
    return jar;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The standalone twin, as docs/rehearsal.md starts it; returns what it wrote for orchestrators. */
  Twin startTwin() throws IOException {
    return startTwin(List.of());
  }

  /** The standalone twin with these extra arguments ({@code --upgrade.rehearsal.time-scale=0.01}). */
  Twin startTwin(List<String> args) throws IOException {
    Path out = dir.resolve("twin");
    List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx512m",
        "-Dloader.main=org.lsst.ts.upgrade.rehearsal.TwinApplication", "-cp", jar().toString(),
        "org.springframework.boot.loader.launch.PropertiesLauncher", "--upgrade.twin.out-dir=" + out));
    command.addAll(args);
    ProcessBuilder twin = new ProcessBuilder(command)
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("twin.log").toFile());
    twin.environment().put("TWIN_PORT", "0");
    twin.environment().put("UPGRADE_TWIN_CONTROL_PASSWORD", CONTROL_PASSWORD);
    twin.environment().remove("SPRING_PROFILES_ACTIVE");
    processes.add(twin.start());
    Path envFile = out.resolve("orchestrator.env");
    await("the twin's orchestrator.env (log: " + dir.resolve("twin.log") + ")").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200)).until(() -> Files.isRegularFile(envFile));
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(envFile)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new Twin(out, Files.readString(out.resolve("control-url")).trim(), env);
  }

  record Twin(Path out, String control, Map<String, String> env) {}

  /**
   * An orchestrator on {@code port}, working in {@code work} (the H2 file's place), with the twin's
   * environment and {@code extra}; returns once it is ready and its CSC monitor has read the TTS
   * twin's Kafka (as an operator would wait: before that the preflight asks to check again).
   */
  Process startOrchestrator(Path work, Twin twin, int port, String name, String profile, Map<String, String> extra)
      throws IOException {
    Files.createDirectories(work);
    Path log = work.resolve("orchestrator-" + name + ".log");
    ProcessBuilder pb = new ProcessBuilder(JAVA, "-Xmx512m", "-jar", jar().toString(),
        "--spring.profiles.active=" + profile, "--server.port=" + port)
        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(twin.env());
    pb.environment().putAll(extra);
    pb.environment().put("UPGRADE_ADMIN_PASSWORD", ADMIN.substring(ADMIN.indexOf(':') + 1));
    pb.environment().remove("SPRING_PROFILES_DEFAULT");
    Process p = pb.start();
    processes.add(p);
    URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
    await("the " + name + " orchestrator ready and reading the twin's Kafka (log: " + log + ")")
        .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
          assertThat(p.isAlive()).as("the orchestrator process is alive").isTrue();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(readiness).build(),
              HttpResponse.BodyHandlers.ofString());
          return r.statusCode() == 200 && Files.readString(log).contains("CSC monitor of tts has read the recent history");
        });
    return p;
  }

  /** The id of the run's open task with this key, awaited; fails at once on the preflight's problems task. */
  String awaitTask(String api, String runId, String taskKey) {
    String[] id = new String[1];
    String[] last = new String[1];
    try {
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> {
        last[0] = get(api + "/api/runs/" + runId, ADMIN).body();
        JsonNode run = JSON.readTree(last[0]);
        for (JsonNode t : run.path("tasks")) {
          if (t.get("taskDefinitionKey").asText().equals("UserTask_ReviewPreflightProblems")) {
            fail("the preflight found problems: " + get(api + "/engine-rest/process-instance/"
                + t.get("processInstanceId").asText() + "/variables/preflightProblemsText", ADMIN).body());
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

  /** Starts a TTS full upgrade through the run API; its run id. */
  String startTtsFullUpgrade(String api) throws IOException, InterruptedException {
    HttpResponse<String> started = post(api + "/api/runs", ADMIN, """
        {"process":"full-upgrade","site":"tts","cycle":"Cycle 40","breakingSchemaChange":false,
         "phalanxRef":"tickets/DM-12345"}""");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    return JSON.readTree(started.body()).get("runId").asText();
  }

  /** Claims and approves the plan, as an operator in Tasklist would (the engine's REST API, its form). */
  void approvePlan(String api, String taskId) throws IOException, InterruptedException {
    assertThat(post(api + "/engine-rest/task/" + taskId + "/claim", ADMIN, "{\"userId\":\"admin\"}").statusCode())
        .isEqualTo(204);
    HttpResponse<String> approved = post(api + "/engine-rest/task/" + taskId + "/submit-form", ADMIN,
        "{\"variables\":{\"planDecision\":{\"value\":\"approve\"}}}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
  }

  HttpResponse<String> get(String url, String user) throws IOException, InterruptedException {
    return http.send(request(url, user).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String url, String user, String body) throws IOException, InterruptedException {
    return http.send(request(url, user).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String url, String user) throws IOException, InterruptedException {
    return http.send(request(url, user).PUT(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String url, String user) throws IOException, InterruptedException {
    return http.send(request(url, user).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String url, String user) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
