package org.lsst.ts.upgrade.runbook.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.TestRuns;
import org.lsst.ts.upgrade.rehearsal.TwinSlack;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Deciding from Slack on the twin (issue 18): a TTS full upgrade and a TTS minimal testing run whose
 * every decision is a click in the twin's Slack as UOPERATOR or UCAMERA (the plan approved from
 * {@code /upgrade tasks}), with the
 * Slack identity in the history and the run report and every message ending updated; a camera-team
 * task clicked as UCAMERA; and the refusals, each leaving the task open and unchanged.
 */
@RehearsalTest
class SlackDecisionsTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The test profile's signing secret (config/application-rehearsal.yaml). */
  private static final String SECRET = "test-signing-secret";
  private static final String SITE = "tts";
  private static final String CHANNEL = "#tucson-teststand";

  @LocalServerPort int port;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired HistoryService history;
  @Autowired TwinSlack slack;
  @Autowired org.lsst.ts.upgrade.rehearsal.Autopilot autopilot;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinReset reset;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinCscs twinCscs;
  @Autowired org.lsst.ts.upgrade.csc.CscStates cscStates;

  private final List<String> started = new ArrayList<>();

  @BeforeEach
  void autopilotOff() {
    assertThat(BasicAuthHttp.as(port, "admin").post("/rehearsal/autopilot", "{\"enabled\":false}").statusCode())
        .isEqualTo(200);
    new org.lsst.ts.upgrade.rehearsal.TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
  }

  @AfterEach
  void cancelLeftovers() {
    TestRuns.cancelLeftovers(runtime, started, SITE);
  }

  @Test
  void aMinimalTestingRunIsDecidedEntirelyFromSlack() throws Exception {
    var operator = BasicAuthHttp.as(port, "operator");
    HttpResponse<String> r = operator.post("/api/runs",
        "{\"process\":\"minimal-testing\",\"site\":\"tts\",\"telescopes\":[\"auxtel\",\"maintel\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String runId = JSON.readTree(r.body()).path("runId").asText();
    started.add(JSON.readTree(r.body()).path("processInstanceId").asText());

    approveThePlanFromUpgradeTasks(runId);

    // every task of the run: its message in the channel, clicked as the operator
    List<String> decided = new ArrayList<>();
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
      JsonNode run = get("/api/runs/" + runId);
      for (JsonNode t : run.path("tasks")) {
        String id = t.path("id").asText();
        if (!decided.contains(id)) {
          TwinSlack.Message m = messageOf(id);
          if (m != null) {
            JsonNode click = click(m.ts(), "choice:yes", "UOPERATOR");
            assertThat(click.path("status").asInt()).as(click.toString()).isEqualTo(200);
            assertThat(click.path("answer").path("text").asText()).startsWith("Done:").contains("as operator");
            decided.add(id);
          }
        }
      }
      return "COMPLETED".equals(run.path("state").asText());
    });
    JsonNode run = get("/api/runs/" + runId);
    assertThat(run.path("endActivityId").asText()).isEqualTo(MinimalTestingIds.END_MINIMAL_TESTING_PASSED);
    assertThat(decided).hasSizeGreaterThanOrEqualTo(2);

    // the history: each decision like a Tasklist completion, with the Slack identity
    for (String id : decided) {
      assertThat(history.createUserOperationLogQuery().taskId(id)
          .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).list())
          .extracting(UserOperationLogEntry::getUserId).containsExactly("operator");
      var v = history.createHistoricVariableInstanceQuery().taskIdIn(id).variableName(RunVariables.SLACK_DECISION)
          .singleResult();
      assertThat(v).as("task " + id).isNotNull();
      assertThat((String) v.getValue()).startsWith("decided in Slack by operator (Slack user UOPERATOR, channel "
          + CHANNEL + ", message ts ");
    }
    // the run report
    JsonNode report = JSON.readTree(BasicAuthHttp.as(port, "manager").get("/api/runs/" + runId + "/report").body());
    List<JsonNode> fromSlack = new ArrayList<>();
    report.path("tasks").forEach(t -> {
      if (decided.contains(t.path("id").asText())) {
        fromSlack.add(t);
      }
    });
    assertThat(fromSlack).hasSize(decided.size()).allSatisfy(t -> {
      assertThat(t.path("completedBy").asText()).isEqualTo("operator");
      assertThat(t.path("decidedInSlack").asText()).contains("decided in Slack by operator")
          .contains("Slack user UOPERATOR");
      assertThat(t.path("decisions").has(RunVariables.SLACK_DECISION)).isFalse();
    });
    // every message ends updated: who decided, no buttons left
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decided).allSatisfy(id -> {
      TwinSlack.Message m = messageOf(id);
      assertThat(m.updatedAt()).isNotNull();
      assertThat(m.blocks()).contains("by *operator* in Slack").doesNotContain("choice:");
    }));
  }

  @Test
  void theCameraTeamDecidesItsTaskInItsChannel() throws Exception {
    String pid = runtime.startProcessInstanceByKey("FoundationFormTest", Map.of(RunVariables.SITE, SITE)).getId();
    started.add(pid);
    String task = tasks.createTaskQuery().processInstanceId(pid).singleResult().getId();
    TwinSlack.Message m = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(task), x -> x != null);
    assertThat(m.blocks()).contains("camera-team").contains("The camera is ready");
    // an operator may not, the camera team may
    JsonNode refused = click(m.ts(), "choice:yes", "UOPERATOR");
    assertThat(refused.path("answer").path("text").asText()).startsWith("Not allowed");
    assertThat(tasks.createTaskQuery().taskId(task).count()).isOne();
    JsonNode done = click(m.ts(), "choice:yes", "UCAMERA");
    assertThat(done.path("answer").path("text").asText()).as(done.toString()).startsWith("Done:");
    assertThat(history.createHistoricVariableInstanceQuery().taskIdIn(task).variableName(RunVariables.SLACK_DECISION)
        .singleResult().getValue().toString()).startsWith("decided in Slack by camera (Slack user UCAMERA");
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid).variableName("cameraReady")
        .singleResult().getValue()).isEqualTo(true);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(messageOf(task).blocks()).contains("by *camera* in Slack"));
  }

  @Test
  void refusalsLeaveTheTaskOpenAndUnchangedAndADoubleClickCompletesOnce() throws Exception {
    String pid = runtime.startProcessInstanceByKey("FoundationFormTest", Map.of(RunVariables.SITE, SITE)).getId();
    started.add(pid);
    String task = tasks.createTaskQuery().processInstanceId(pid).singleResult().getId();
    TwinSlack.Message m = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(task), x -> x != null);
    String before = state(task, pid);

    // the camera team's own click, as the twin sends it, is the model of the forged ones
    Map<String, String> body = payload(m.ts(), "choice:yes", task + ":yes", "UCAMERA");
    String now = String.valueOf(System.currentTimeMillis() / 1000);
    assertThat(post(body.get("body"), now, "v0=deadbeef").statusCode()).isEqualTo(401);
    String old = String.valueOf(System.currentTimeMillis() / 1000 - 6 * 60);
    HttpResponse<String> stale = post(body.get("body"), old, sign(old, body.get("body")));
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).contains("more than 5 minutes");
    assertThat(state(task, pid)).isEqualTo(before);

    for (String who : List.of("UMANAGER", "UNOBODY")) {
      JsonNode answer = click(m.ts(), "choice:yes", who);
      assertThat(answer.path("status").asInt()).isEqualTo(200);
      assertThat(answer.path("answer").path("response_type").asText()).isEqualTo("ephemeral");
      assertThat(answer.path("answer").path("text").asText()).as(who).startsWith("Not allowed");
      assertThat(state(task, pid)).as(who).isEqualTo(before);
    }
    // the answer reached the person through the response URL too
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slack.responses())
        .anySatisfy(x -> assertThat(x.body()).contains("not mapped to an orchestrator user")));

    // the camera team's click completes it; the same request again is refused and changes nothing
    JsonNode done = click(m.ts(), "choice:yes", "UCAMERA");
    assertThat(done.path("answer").path("text").asText()).startsWith("Done:");
    JsonNode sent = done.path("request");
    HttpResponse<String> replay = post(sent.path("body").asText(), sent.path("timestamp").asText(),
        sent.path("signature").asText());
    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("already received");
    // a late click (a fresh request on the old message) is answered, and changes nothing
    String late0 = payload(m.ts(), "choice:yes", task + ":yes", "UCAMERA").get("body");
    String ts = String.valueOf(System.currentTimeMillis() / 1000);
    HttpResponse<String> late = post(late0, ts, sign(ts, late0));
    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(late.body()).path("text").asText()).contains("already completed by camera");
    assertThat(history.createUserOperationLogQuery().taskId(task)
        .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).count()).isOne();
  }

  @Test
  void aCameraTeamMemberMayNotDecideAnOperatorTask() throws Exception {
    // the test process's operator task has no form: its message links to Tasklist; the click is forged
    String pid = runtime.startProcessInstanceByKey("OperatorTaskTest", Map.of(RunVariables.SITE, SITE)).getId();
    started.add(pid);
    String task = tasks.createTaskQuery().processInstanceId(pid).singleResult().getId();
    TwinSlack.Message m = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(task), x -> x != null);
    assertThat(m.blocks()).contains("Open in Tasklist").doesNotContain("choice:");
    String before = state(task, pid);
    for (String who : List.of("UCAMERA", "UOPERATOR")) {
      // a form-less task offers no choice: nobody completes it from Slack
      Map<String, String> body = payload(m.ts(), "choice:yes", task + ":yes", who);
      String now = String.valueOf(System.currentTimeMillis() / 1000);
      HttpResponse<String> r = post(body.get("body"), now, sign(now, body.get("body")));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("no such choice");
      assertThat(state(task, pid)).isEqualTo(before);
    }
  }

  @Test
  void aCameraTeamMemberClickingAnOperatorsButtonIsNotAllowed() throws Exception {
    var operator = BasicAuthHttp.as(port, "operator");
    HttpResponse<String> r = operator.post("/api/runs",
        "{\"process\":\"minimal-testing\",\"site\":\"tts\",\"telescopes\":[\"auxtel\"]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String runId = JSON.readTree(r.body()).path("runId").asText();
    started.add(JSON.readTree(r.body()).path("processInstanceId").asText());
    approveThePlanFromUpgradeTasks(runId);
    JsonNode open = await().atMost(Duration.ofSeconds(60)).until(() -> {
      for (JsonNode t : get("/api/runs/" + runId).path("tasks")) {
        if (MinimalTestingIds.AUXTEL_HOUSEKEEPING.equals(t.path("taskDefinitionKey").asText())) {
          return t;
        }
      }
      return null;
    }, t -> t != null);
    String task = open.path("id").asText();
    TwinSlack.Message m = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(task), x -> x != null);
    String before = state(task, open.path("processInstanceId").asText());
    JsonNode camera = click(m.ts(), "choice:yes", "UCAMERA");
    assertThat(camera.path("answer").path("text").asText()).startsWith("Not allowed: camera may not complete")
        .contains("operators");
    assertThat(state(task, open.path("processInstanceId").asText())).isEqualTo(before);
  }

  @Test
  void twoClicksAtOnceCompleteTheTaskOnce() throws Exception {
    String pid = runtime.startProcessInstanceByKey("FoundationFormTest", Map.of(RunVariables.SITE, SITE)).getId();
    started.add(pid);
    String task = tasks.createTaskQuery().processInstanceId(pid).singleResult().getId();
    TwinSlack.Message m = await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(task), x -> x != null);
    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> clickQuietly(m.ts()));
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> clickQuietly(m.ts()));
    List<String> answers = List.of(first.get().path("answer").path("text").asText(),
        second.get().path("answer").path("text").asText());
    assertThat(answers).filteredOn(a -> a.startsWith("Done:")).hasSize(1);
    assertThat(answers).filteredOn(a -> a.contains("already completed by camera")).hasSize(1);
    assertThat(history.createUserOperationLogQuery().taskId(task)
        .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).count()).isOne();
  }

  @Test
  void theMessageSaysWhoCompletedTheTaskInTasklistAndWhenATaskIsWithdrawn() throws Exception {
    String pid = runtime.startProcessInstanceByKey("FoundationFormTest", Map.of(RunVariables.SITE, SITE)).getId();
    started.add(pid);
    String task = tasks.createTaskQuery().processInstanceId(pid).singleResult().getId();
    await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(task), x -> x != null);
    // as Tasklist does it: the REST API, claimed and completed by the camera team
    var camera = BasicAuthHttp.as(port, "camera");
    assertThat(camera.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"camera\"}").statusCode()).isEqualTo(204);
    assertThat(camera.post("/engine-rest/task/" + task + "/complete",
        "{\"variables\":{\"cameraReady\":{\"value\":true,\"type\":\"Boolean\"}}}").statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(messageOf(task).blocks())
        .contains("by *camera*, ").doesNotContain("in Slack").doesNotContain("choice:"));
    assertThat(history.createHistoricVariableInstanceQuery().taskIdIn(task).variableName(RunVariables.SLACK_DECISION)
        .count()).isZero();

    String other = runtime.startProcessInstanceByKey("OperatorTaskTest", Map.of(RunVariables.SITE, SITE)).getId();
    started.add(other);
    String withdrawn = tasks.createTaskQuery().processInstanceId(other).singleResult().getId();
    await().atMost(Duration.ofSeconds(30)).until(() -> messageOf(withdrawn), x -> x != null);
    runtime.deleteProcessInstance(other, "cancelled by the test");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(messageOf(withdrawn).blocks())
        .contains("Withdrawn").doesNotContain("Open in Tasklist"));
  }

  private JsonNode clickQuietly(String ts) {
    try {
      return click(ts, "choice:yes", "UCAMERA");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The "done when": a TTS full upgrade, the autopilot off, every decision a click in the
   * twin's Slack — the camera team's as UCAMERA, the others as UOPERATOR — choosing what the
   * autopilot's answer sheet would (the people's own acts on the twin, like starting the camera
   * services, done as the autopilot does them).
   */
  @Test
  void aFullUpgradeIsDecidedEntirelyFromSlack() throws Exception {
    var operator = BasicAuthHttp.as(port, "operator");
    HttpResponse<String> r = operator.post("/api/runs", "{\"process\":\"full-upgrade\",\"site\":\"tts\","
        + "\"cycle\":\"Cycle 40\",\"breakingSchemaChange\":true,\"phalanxRef\":\"tickets/DM-12345\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String runId = JSON.readTree(r.body()).path("runId").asText();
    String pid = JSON.readTree(r.body()).path("processInstanceId").asText();
    started.add(pid);
    approveThePlanFromUpgradeTasks(runId);

    Map<String, String> decidedBy = new LinkedHashMap<>();
    await().atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofMillis(300)).until(() -> {
      assertThat(runtime.createIncidentQuery().count()).as("incidents").isZero();
      JsonNode run = get("/api/runs/" + runId);
      for (JsonNode t : run.path("tasks")) {
        String id = t.path("id").asText();
        if (decidedBy.containsKey(id)) {
          continue;
        }
        TwinSlack.Message m = messageOf(id);
        if (m == null) {
          continue;
        }
        var task = tasks.createTaskQuery().taskId(id).initializeFormKeys().singleResult();
        String formId = task == null || task.getCamundaFormRef() == null ? null : task.getCamundaFormRef().getKey();
        Map<String, Object> answers = autopilot.answersFor(formId);
        String actionId = buttonFor(m, answers);
        String who = m.blocks().contains("waits for camera-team") ? "UCAMERA" : "UOPERATOR";
        autopilot.actAsPeople(SITE, formId, answers);
        JsonNode click = click(m.ts(), actionId, who);
        assertThat(click.path("answer").path("text").asText()).as(formId + " " + click).startsWith("Done:");
        decidedBy.put(id, who);
      }
      return "COMPLETED".equals(run.path("state").asText());
    });
    assertThat(get("/api/runs/" + runId).path("endActivityId").asText()).isEqualTo("EndEvent_UpgradeDone");
    assertThat(decidedBy).containsValue("UOPERATOR").containsValue("UCAMERA");
    JsonNode report = JSON.readTree(BasicAuthHttp.as(port, "manager").get("/api/runs/" + runId + "/report").body());
    List<JsonNode> fromSlack = new ArrayList<>();
    report.path("tasks").forEach(t -> {
      if (decidedBy.containsKey(t.path("id").asText())) {
        fromSlack.add(t);
      }
    });
    assertThat(fromSlack).hasSize(decidedBy.size()).allSatisfy(t -> {
      String user = decidedBy.get(t.path("id").asText()).equals("UCAMERA") ? "camera" : "operator";
      assertThat(t.path("completedBy").asText()).isEqualTo(user);
      assertThat(t.path("decidedInSlack").asText()).startsWith("decided in Slack by " + user + " (Slack user "
          + decidedBy.get(t.path("id").asText()));
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decidedBy.keySet()).allSatisfy(id ->
        assertThat(messageOf(id).blocks()).contains("in Slack, ").doesNotContain("choice:")));
  }

  /** The button whose values are the answer sheet's for the form. */
  private static String buttonFor(TwinSlack.Message m, Map<String, Object> answers) throws Exception {
    for (JsonNode block : JSON.readTree(m.blocks())) {
      for (JsonNode e : block.path("elements")) {
        String action = e.path("action_id").asText();
        if (!action.startsWith("choice:")) {
          continue;
        }
        String choice = action.substring("choice:".length());
        boolean matches = switch (choice) {
          case "yes" -> answers.values().stream().anyMatch(Boolean.TRUE::equals);
          case "no" -> answers.values().stream().noneMatch(Boolean.TRUE::equals);
          default -> answers.containsValue(choice);
        };
        if (matches) {
          return action;
        }
      }
    }
    throw new AssertionError("no button of " + m.blocks() + " gives the answer sheet's " + answers);
  }

  // ---------------------------------------------------------------------------------------------

  /** The plan's approval from {@code /upgrade tasks tts}: its ephemeral list carries the button. */
  private void approveThePlanFromUpgradeTasks(String runId) throws Exception {
    JsonNode[] last = new JsonNode[1];
    JsonNode button = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .conditionEvaluationListener(c -> {
          if (c.getRemainingTimeInMS() < 1000) {
            System.out.println("last /upgrade tasks: " + last[0] + "\nrun: " + runId);
          }
        }).until(() -> {
      JsonNode list = slashCommand("tasks tts");
      last[0] = list;
      for (JsonNode block : list.path("blocks")) {
        for (JsonNode e : block.path("elements")) {
          if ("choice:approve".equals(e.path("action_id").asText())) {
            return e;
          }
        }
      }
      return null;
    }, x -> x != null);
    String value = button.path("value").asText();
    Map<String, Object> payload = basePayload("UOPERATOR", Map.of("type", "ephemeral", "channel_id", CHANNEL,
        "is_ephemeral", true), List.of(Map.of("type", "button", "action_id", "choice:approve",
        "block_id", "task:" + value.substring(0, value.indexOf(':')), "value", value)));
    String body = "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
    String ts = String.valueOf(System.currentTimeMillis() / 1000);
    HttpResponse<String> r = post(body, ts, sign(ts, body));
    assertThat(JSON.readTree(r.body()).path("text").asText()).as(r.body()).startsWith("Done:");
  }

  private JsonNode slashCommand(String text) throws Exception {
    String body = "token=ignored&team_id=T0&team_domain=rubin&channel_id=C0&channel_name=tucson-teststand"
        + "&user_id=U0OPERATOR&user_name=operator&command=%2Fupgrade&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=" + java.util.UUID.randomUUID();
    String ts = String.valueOf(System.currentTimeMillis() / 1000);
    HttpResponse<String> r = send(java.net.http.HttpRequest.newBuilder()
        .uri(java.net.URI.create("http://127.0.0.1:" + port + "/slack/commands"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, ts)
        .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, sign(ts, body))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** A click as the twin's Slack sends it (POST /rehearsal/slack/click), with the orchestrator's answer. */
  private JsonNode click(String ts, String actionId, String slackUser) throws Exception {
    HttpResponse<String> r = BasicAuthHttp.as(port, "operator").post("/rehearsal/slack/click",
        JSON.writeValueAsString(Map.of("site", SITE, "messageTs", ts, "actionId", actionId, "slackUser", slackUser)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private Map<String, String> payload(String ts, String actionId, String value, String slackUser) throws Exception {
    Map<String, Object> p = basePayload(slackUser, Map.of("type", "message", "message_ts", ts, "channel_id", CHANNEL,
        "is_ephemeral", false), List.of(Map.of("type", "button", "action_id", actionId, "value", value)));
    p.put("message", Map.of("type", "message", "ts", ts, "text", "x"));
    return Map.of("body", "payload=" + URLEncoder.encode(JSON.writeValueAsString(p), StandardCharsets.UTF_8));
  }

  private static Map<String, Object> basePayload(String slackUser, Map<String, Object> container, List<?> actions) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "block_actions");
    p.put("user", Map.of("id", slackUser, "username", slackUser.toLowerCase(), "team_id", "T0REHEARSAL"));
    p.put("api_app_id", "A0ORCHESTRATOR");
    p.put("container", container);
    p.put("trigger_id", java.util.UUID.randomUUID().toString());
    p.put("team", Map.of("id", "T0REHEARSAL", "domain", "rehearsal"));
    p.put("channel", Map.of("id", CHANNEL, "name", CHANNEL.substring(1)));
    p.put("actions", actions);
    return p;
  }

  private HttpResponse<String> post(String body, String timestamp, String signature) {
    return send(java.net.http.HttpRequest.newBuilder()
        .uri(java.net.URI.create("http://127.0.0.1:" + port + "/slack/interactions"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, timestamp)
        .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signature)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
  }

  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  private static HttpResponse<String> send(java.net.http.HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String sign(String timestamp, String body) {
    return new SlackSignature.Generator(SECRET).generate(timestamp, body);
  }

  private TwinSlack.Message messageOf(String taskId) {
    return slack.messages(SITE).stream().filter(m -> m.blocks() != null && m.blocks().contains("task:" + taskId + "\""))
        .findFirst().orElse(null);
  }

  /** The task and its run as a refusal must leave them. */
  private String state(String taskId, String pid) {
    var t = tasks.createTaskQuery().taskId(taskId).singleResult();
    assertThat(t).as("task " + taskId + " still open").isNotNull();
    return t.getAssignee() + " " + new TreeMap<>(tasks.getVariablesLocal(taskId)) + " "
        + new TreeMap<>(runtime.getVariables(pid)) + " " + history.createUserOperationLogQuery().taskId(taskId).count();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = BasicAuthHttp.as(port, "operator").get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
