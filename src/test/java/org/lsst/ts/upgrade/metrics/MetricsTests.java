package org.lsst.ts.upgrade.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.TestRuns;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /actuator/prometheus} after a rehearsal run: who may read it, and the {@code upgrade_}
 * meters with their labels; and the run id on the log lines of the run's steps.
 */
@RehearsalTest
@ExtendWith(OutputCaptureExtension.class)
class MetricsTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMETHEUS = "/actuator/prometheus";

  @LocalServerPort int port;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;

  private final List<String> started = new ArrayList<>();

  @AfterEach
  void cancelLeftovers() {
    TestRuns.cancelLeftovers(runtime, started, "tts");
  }

  private String scrape() {
    HttpResponse<String> r = BasicAuthHttp.as(port, "prometheus", "prometheus").accepting("text/plain").get(PROMETHEUS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The value of the sample with exactly these labels (in Prometheus's alphabetical order), if present. */
  private static OptionalDouble sample(String body, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(labels.isEmpty() ? name : name + "{" + labels + "}") + " (\\S+)$").matcher(body);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  @Test
  void onlyTheScrapeUserAndAdministratorsReadTheMetricsAndHealthStaysOpen() {
    assertThat(BasicAuthHttp.anonymous(port).get(PROMETHEUS).statusCode()).isEqualTo(401);
    assertThat(BasicAuthHttp.as(port, "prometheus", "wrong").get(PROMETHEUS).statusCode()).isEqualTo(401);
    // the scrape user is not an engine user: it opens neither the engine's REST API nor the run API
    assertThat(BasicAuthHttp.as(port, "prometheus", "prometheus").get("/engine-rest/task").statusCode()).isEqualTo(401);
    assertThat(BasicAuthHttp.as(port, "prometheus", "prometheus").get("/api/runs").statusCode()).isEqualTo(401);
    for (String user : List.of("operator", "manager", "camera")) {
      assertThat(BasicAuthHttp.as(port, user).get(PROMETHEUS).statusCode()).as(user).isEqualTo(403);
    }
    assertThat(BasicAuthHttp.as(port, "admin").accepting("text/plain").get(PROMETHEUS).statusCode()).isEqualTo(200);
    assertThat(BasicAuthHttp.anonymous(port).get("/actuator/health").statusCode()).isEqualTo(200);
    assertThat(BasicAuthHttp.anonymous(port).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    // no other actuator endpoint is exposed, whoever asks
    assertThat(BasicAuthHttp.as(port, "admin").get("/actuator/env").statusCode()).isEqualTo(404);
  }

  @Test
  void aRunShowsInTheMetricsWithItsProcessSiteGroupAndOutcome(CapturedOutput output) throws Exception {
    double startedBefore = sample(scrape(), "upgrade_runs_started_total", "process=\"minimal-testing\",site=\"tts\"").orElse(0);
    double cancelledBefore = sample(scrape(), "upgrade_runs_ended_total",
        "outcome=\"cancelled\",process=\"minimal-testing\",site=\"tts\"").orElse(0);

    HttpResponse<String> created = BasicAuthHttp.as(port, "operator").post("/api/runs",
        "{\"process\":\"minimal-testing\",\"site\":\"tts\",\"telescopes\":[\"auxtel\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode run = JSON.readTree(created.body());
    String runId = run.path("runId").asText();
    String pid = run.path("processInstanceId").asText();
    started.add(pid);
    // the run waits for an operator (the autopilot is off)
    await().atMost(Duration.ofSeconds(60)).until(() ->
        tasks.createTaskQuery().processInstanceBusinessKey(runId).taskCandidateGroup(Groups.OPERATORS).count() > 0);

    String body = scrape();
    assertThat(sample(body, "upgrade_runs_started_total", "process=\"minimal-testing\",site=\"tts\"").orElseThrow())
        .isEqualTo(startedBefore + 1);
    assertThat(sample(body, "upgrade_user_tasks_open", "group=\"operators\"").orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(sample(body, "upgrade_user_tasks_oldest_age_seconds", "group=\"operators\"").orElseThrow()).isGreaterThanOrEqualTo(0);
    assertThat(sample(body, "upgrade_user_tasks_open", "group=\"managers\"")).isPresent();
    assertThat(sample(body, "upgrade_incidents_open", "")).isPresent();
    assertThat(sample(body, "upgrade_jobs_executable", "")).isPresent();
    assertThat(sample(body, "upgrade_jobs_oldest_due_age_seconds", "")).isPresent();
    // the twin's Kafka publishes heartbeats: the monitor's newest record from TTS is seconds old
    assertThat(sample(body, "upgrade_csc_monitor_record_age_seconds", "site=\"tts\"").orElseThrow()).isBetween(0.0, 60.0);
    assertThat(sample(body, "upgrade_csc_monitor_undecodable_records_total", "site=\"tts\"")).isPresent();
    assertThat(sample(body, "upgrade_slack_notices_pending", "site=\"tts\"")).isPresent();
    assertThat(sample(body, "upgrade_slack_notices_undelivered", "site=\"summit\"")).isPresent();

    TestRuns.cancel(runtime, pid);
    assertThat(sample(scrape(), "upgrade_runs_ended_total", "outcome=\"cancelled\",process=\"minimal-testing\",site=\"tts\"")
        .orElseThrow()).isEqualTo(cancelledBefore + 1);

    // the steps of the run logged with its run id and their activity
    assertThat(output.getAll()).containsPattern("\\[" + Pattern.quote(runId) + " [A-Za-z]+_[A-Za-z]+\\]");
  }
}
