package org.lsst.ts.upgrade.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.WebappSession;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code GET /api/runs/{runId}/report} and {@code GET /api/runs} over HTTP on the twin: a manager
 * reads a finished run's audit trail, who may read it, and the Cockpit session's access.
 */
@RehearsalTest
class RunReportApiTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOUSEKEEPING = "UserTask_AuxTelHousekeeping";

  @LocalServerPort int port;
  @Autowired RuntimeService runtime;

  private final List<String> started = new ArrayList<>();

  @AfterEach
  void cancelLeftovers() {
    org.lsst.ts.upgrade.TestRuns.cancelLeftovers(runtime, started, "tts");
  }

  private void cancel(String pid) {
    org.lsst.ts.upgrade.TestRuns.cancel(runtime, pid);
  }

  private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  private JsonNode get(String user, String path) throws Exception {
    return json(BasicAuthHttp.as(port, user).get(path), 200);
  }

  @Test
  void aManagerReadsTheReportOfAFinishedRunWithWhoCompletedItsTaskWhatTheyDecidedAndItsIncident() throws Exception {
    var operator = BasicAuthHttp.as(port, "operator");
    JsonNode created = json(operator.post("/api/runs",
        "{\"process\":\"minimal-testing\",\"site\":\"tts\",\"telescopes\":[\"auxtel\"]}"), 201);
    String runId = created.path("runId").asText();
    String pid = created.path("processInstanceId").asText();
    started.add(pid);

    // the operator approves the plan (the preflight's task), as Tasklist submits it
    JsonNode plan = await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (JsonNode t : get("operator", "/api/runs/" + runId).path("tasks")) {
        if ("UserTask_ApprovePlan".equals(t.path("taskDefinitionKey").asText())) {
          return t;
        }
      }
      return null;
    }, t -> t != null);
    assertThat(operator.post("/engine-rest/task/" + plan.path("id").asText() + "/claim", "{\"userId\":\"operator\"}")
        .statusCode()).isEqualTo(204);
    assertThat(operator.post("/engine-rest/task/" + plan.path("id").asText() + "/submit-form",
        "{\"variables\": {\"planDecision\": {\"value\": \"approve\", \"type\": \"String\"}}}").statusCode()).isIn(200, 204);

    // the run waits for the operator at the housekeeping task (the autopilot is off)
    JsonNode open = await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (JsonNode t : get("operator", "/api/runs/" + runId).path("tasks")) {
        if (HOUSEKEEPING.equals(t.path("taskDefinitionKey").asText())) {
          return t;
        }
      }
      return null;
    }, t -> t != null);
    String taskId = open.path("id").asText();
    String taskPid = open.path("processInstanceId").asText();

    // an incident on the waiting step, resolved by hand, stays in the report
    String execution = runtime.createExecutionQuery().processInstanceId(taskPid).activityId(HOUSEKEEPING)
        .singleResult().getId();
    var incident = runtime.createIncident("upgradeReportTest", execution, "run-report-test",
        "LOVE answered 503: simulated by RunReportApiTests");
    runtime.resolveIncident(incident.getId());

    // a variable named like a secret is never reported (set by code: a task takes only its form's
    // fields since issue 13, so a person can no longer add one)
    runtime.setVariable(taskPid, "apiToken", "not-a-real-token");
    // the operator claims and submits the form as Tasklist does: the read-only site comes back
    // unchanged (no decision)
    assertThat(operator.post("/engine-rest/task/" + taskId + "/claim", "{\"userId\":\"operator\"}").statusCode())
        .isEqualTo(204);
    HttpResponse<String> submitted = operator.post("/engine-rest/task/" + taskId + "/submit-form", """
        {"variables": {
          "site": {"value": "tts", "type": "String"},
          "auxtelHousekeepingDone": {"value": true, "type": "Boolean"},
          "auxtelHousekeepingNotes": {"value": "ran clean", "type": "String"}}}""");
    assertThat(submitted.statusCode()).as(submitted.body()).isIn(200, 204);

    await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
        assertThat(get("manager", "/api/runs/" + runId).path("state").asText()).isEqualTo("COMPLETED"));

    JsonNode report = get("manager", "/api/runs/" + runId + "/report");
    assertThat(report.path("runId").asText()).isEqualTo(runId);
    assertThat(report.path("process").asText()).isEqualTo("minimal-testing");
    assertThat(report.path("site").asText()).isEqualTo("tts");
    assertThat(report.path("state").asText()).isEqualTo("COMPLETED");
    assertThat(report.path("startedBy").asText()).isEqualTo("operator");
    assertThat(report.path("end").isNull()).isFalse();
    assertThat(report.path("durationMillis").asLong()).isPositive();
    assertThat(report.path("endActivityId").asText()).isEqualTo(MinimalTestingIds.END_MINIMAL_TESTING_PASSED);

    JsonNode tasks = report.path("tasks");
    assertThat(tasks).hasSize(2);
    assertThat(tasks.get(0).path("taskDefinitionKey").asText()).isEqualTo("UserTask_ApprovePlan");
    assertThat(JSON.convertValue(tasks.get(0).path("decisions"), Map.class)).isEqualTo(Map.of("planDecision", "approve"));
    JsonNode task = tasks.get(1);
    assertThat(task.path("taskDefinitionKey").asText()).isEqualTo(HOUSEKEEPING);
    assertThat(task.path("outcome").asText()).isEqualTo("completed");
    assertThat(task.path("assignee").asText()).isEqualTo("operator");
    assertThat(task.path("completedBy").asText()).isEqualTo("operator");
    assertThat(task.path("end").isNull()).isFalse();
    assertThat(JSON.convertValue(task.path("decisions"), Map.class))
        .isEqualTo(Map.of("auxtelHousekeepingDone", true, "auxtelHousekeepingNotes", "ran clean"));
    assertThat(report.toString()).doesNotContain("not-a-real-token").doesNotContain("apiToken");

    JsonNode incidents = report.path("incidents");
    assertThat(incidents).hasSize(1);
    assertThat(incidents.get(0).path("message").asText()).isEqualTo("LOVE answered 503: simulated by RunReportApiTests");
    assertThat(incidents.get(0).path("activityId").asText()).isEqualTo(HOUSEKEEPING);
    assertThat(incidents.get(0).path("resolved").asBoolean()).isTrue();
    assertThat(incidents.get(0).path("status").asText()).isEqualTo("resolved");
    assertThat(report.path("undeliveredNotices").isArray()).isTrue();

    // the timeline: the run's and its called processes' activities, by start, each with its duration
    List<JsonNode> timeline = new ArrayList<>();
    report.path("timeline").forEach(timeline::add);
    assertThat(timeline).extracting(s -> s.path("activityId").asText()).contains(HOUSEKEEPING);
    assertThat(timeline).extracting(s -> s.path("processDefinitionKey").asText())
        .contains("minimal-testing", "run-scripts");
    assertThat(timeline).allSatisfy(s -> {
      assertThat(s.path("end").isNull()).as(s.toString()).isFalse();
      assertThat(s.has("durationMillis")).isTrue();
      assertThat(s.path("type").asText()).isNotBlank();
    });
    assertThat(timeline).extracting(s -> Instant.parse(s.path("start").asText()))
        .isSortedAccordingTo(Instant::compareTo);
    JsonNode step = timeline.stream().filter(s -> HOUSEKEEPING.equals(s.path("activityId").asText())).findFirst()
        .orElseThrow();
    assertThat(step.path("name").asText()).contains("auxtel_housekeeping.py");
    assertThat(step.path("type").asText()).isEqualTo("userTask");

    // the list: finished runs too, filtered by site and state, newest first
    List<String> completed = new ArrayList<>();
    get("manager", "/api/runs?site=tts&state=COMPLETED&size=100").forEach(r -> {
      assertThat(r.path("state").asText()).isEqualTo("COMPLETED");
      assertThat(r.path("site").asText()).isEqualTo("tts");
      completed.add(r.path("runId").asText());
    });
    assertThat(completed).contains(runId);
    get("manager", "/api/runs?state=ACTIVE").forEach(r -> assertThat(r.path("runId").asText()).isNotEqualTo(runId));
    // another site's filter leaves this tts run out
    assertThat(get("manager", "/api/runs?site=summit&size=100")).allSatisfy(r -> assertThat(r.path("site").asText())
        .isEqualTo("summit")).noneSatisfy(r -> assertThat(r.path("runId").asText()).isEqualTo(runId));
    List<Instant> starts = new ArrayList<>();
    get("manager", "/api/runs?size=100").forEach(r -> starts.add(Instant.parse(r.path("start").asText())));
    assertThat(starts).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(get("manager", "/api/runs?size=1")).hasSize(1);

    // the engine's authorizations apply: the camera team may not read history, so it sees no run
    HttpResponse<String> camera = BasicAuthHttp.as(port, "camera").get("/api/runs/" + runId + "/report");
    assertThat(camera.statusCode()).isEqualTo(404);
    assertThat(get("camera", "/api/runs?site=tts")).isEmpty();
  }

  @Test
  void anUnknownRunIsA404WithAJsonBody() throws Exception {
    JsonNode body = json(BasicAuthHttp.as(port, "manager").get("/api/runs/no-such-run/report"), 404);
    assertThat(body.path("status").asInt()).isEqualTo(404);
    assertThat(body.path("message").asText()).contains("no-such-run");
  }

  @Test
  void withoutCredentialsItIsA401WithABasicChallenge() {
    for (String path : new String[] {"/api/runs", "/api/runs/no-such-run/report", "/api/runs?state=COMPLETED"}) {
      HttpResponse<String> r = BasicAuthHttp.anonymous(port).get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as(path)
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }
  }

  @Test
  void badListParametersAreA400() throws Exception {
    var manager = BasicAuthHttp.as(port, "manager");
    for (String query : new String[] {"size=0", "size=101", "page=-1", "state=RUNNING"}) {
      HttpResponse<String> r = manager.get("/api/runs?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("message").asText()).as(query).isNotBlank();
    }
  }

  @Test
  void aCockpitSessionReadsRunsWithItsCsrfTokenButWritesNothing() throws Exception {
    var session = new WebappSession(port);
    HttpResponse<String> login = session.login("manager", "manager", "cockpit");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    // the login made a new session: Cockpit's next request hands out its CSRF token
    assertThat(session.get("/camunda/api/admin/auth/user/default").statusCode()).isEqualTo(200);
    String token = session.csrfToken();
    assertThat(token).isNotBlank();

    HttpResponse<String> runs = session.get("/api/runs?size=5", Map.of("X-XSRF-TOKEN", token));
    assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);
    assertThat(JSON.readTree(runs.body()).isArray()).isTrue();
    HttpResponse<String> unknown = session.get("/api/runs/no-such-run/report", Map.of("X-XSRF-TOKEN", token));
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);

    // without the token (another site making the browser call), or with a wrong one: no session access
    assertThat(session.get("/api/runs").statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = session.get("/api/runs", Map.of("X-XSRF-TOKEN", "not-the-token"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    // ... and a script of the webapps gets no Basic challenge (no login dialog over Cockpit)
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).isEmpty();
    // the session reads runs only: no start, no other API
    long before = runtime.createProcessInstanceQuery().processDefinitionKey(RunProcesses.MINIMAL_TESTING)
        .variableValueEquals("site", "tts").count();
    assertThat(session.post("/api/runs", "{\"process\":\"minimal-testing\",\"site\":\"tts\"}",
        Map.of("X-XSRF-TOKEN", token)).statusCode()).isEqualTo(401);
    assertThat(session.get("/api/sites", Map.of("X-XSRF-TOKEN", token)).statusCode()).isEqualTo(401);
    assertThat(session.get("/engine-rest/task", Map.of("X-XSRF-TOKEN", token)).statusCode()).isEqualTo(401);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(RunProcesses.MINIMAL_TESTING)
        .variableValueEquals("site", "tts").count()).isEqualTo(before);
  }

  @Test
  void aSessionWithoutCockpitAccessReadsNothing() throws Exception {
    // the camera team logs into Tasklist, not Cockpit
    var session = new WebappSession(port);
    assertThat(session.login("camera", "camera", "tasklist").statusCode()).isEqualTo(200);
    assertThat(session.get("/camunda/api/admin/auth/user/default").statusCode()).isEqualTo(200);
    assertThat(session.get("/api/runs", Map.of("X-XSRF-TOKEN", session.csrfToken())).statusCode()).isEqualTo(401);
  }
}
