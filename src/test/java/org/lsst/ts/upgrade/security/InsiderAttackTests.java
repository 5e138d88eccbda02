package org.lsst.ts.upgrade.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.WebappSession;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The attacks of issue 13, each tried as the insider who found it, each now changing nothing.
 * A run's waiting step is stood in for by a test process with a timer job an hour away (the job
 * executor leaves it alone) and a user task offered to operators.
 */
@RehearsalTest
class InsiderAttackTests {
  static final String WAITING = "attack-waiting-step";

  @LocalServerPort int port;
  @Autowired ProcessEngine engine;
  String instance;

  @BeforeEach
  void waitingStep() {
    if (engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(WAITING).count() == 0) {
      engine.getRepositoryService().createDeployment().name(WAITING).addModelInstance(WAITING + ".bpmn",
          Bpmn.createExecutableProcess(WAITING).camundaHistoryTimeToLive(1)
              .startEvent()
              .parallelGateway("fork")
              .intermediateCatchEvent("Timer_AnHour").timerWithDuration("PT1H")
              .endEvent()
              .moveToNode("fork")
              .userTask("UserTask_Check").name("Check").camundaCandidateGroups(Groups.OPERATORS)
              .endEvent()
              .done()).deploy();
    }
    instance = engine.getRuntimeService().startProcessInstanceByKey(WAITING, Map.of("site", "tts")).getId();
  }

  @AfterEach
  void cancel() {
    if (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instance).count() > 0) {
      engine.getRuntimeService().deleteProcessInstance(instance, "test over", true, true);
    }
  }

  private Job job() {
    return engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
  }

  private void assertJobUntouched() {
    assertThat(job().getRetries()).as("retries").isEqualTo(3);
    assertThat(job().getExceptionMessage()).as("exception").isNull();
    assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()).as("incidents").isZero();
    assertThat(engine.getHistoryService().createHistoricJobLogQuery().jobId(job().getId()).failureLog().count())
        .as("failure log").isZero();
  }

  /** 1. A read-only manager (or the camera team) executing a job: 403, and the refusal is no failed attempt. */
  @Test
  void refusedJobExecutionsLeaveRetriesAndRaiseNoIncident() throws Exception {
    String job = job().getId();
    for (String user : new String[] {"manager", "camera", "manager", "manager", "operator"}) {
      HttpResponse<String> r = BasicAuthHttp.as(port, user).post("/engine-rest/job/" + job + "/execute", "");
      assertThat(r.statusCode()).as(user + ": " + r.body()).isEqualTo(403);
    }
    assertJobUntouched();

    // the Cockpit session route, as a manager logged into Cockpit
    var cockpit = new WebappSession(port);
    assertThat(cockpit.login("manager", "manager", "cockpit").statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = cockpit.post("/camunda/api/engine/engine/default/job/" + job + "/execute", "",
          Map.of("X-XSRF-TOKEN", cockpit.csrfToken()));
      assertThat(r.statusCode()).as(r.body()).isIn(401, 403);
    }
    assertJobUntouched();
  }

  /** 1. Setting retries to 0 on a healthy job is not an operator's action; retrying a failed one is. */
  @Test
  void operatorsCannotZeroRetriesButRetryFailedJobs() {
    var operator = BasicAuthHttp.as(port, "operator");
    String job = job().getId();
    HttpResponse<String> zero = operator.send("PUT", "/engine-rest/job/" + job + "/retries", "{\"retries\":0}");
    assertThat(zero.statusCode()).as(zero.body()).isEqualTo(403);
    HttpResponse<String> all = operator.post("/engine-rest/job/retries",
        "{\"jobIds\":[\"" + job + "\"],\"retries\":0}");
    assertThat(all.statusCode()).as(all.body()).isIn(400, 403);
    String definition = job().getJobDefinitionId();
    HttpResponse<String> byDefinition = operator.send("PUT", "/engine-rest/job-definition/" + definition + "/retries",
        "{\"retries\":0}");
    assertThat(byDefinition.statusCode()).as(byDefinition.body()).isEqualTo(403);
    assertJobUntouched();

    // a failed step (retries 0) is retried by an operator as before
    engine.getManagementService().setJobRetries(job, 0);
    HttpResponse<String> retry = operator.send("PUT", "/engine-rest/job/" + job + "/retries", "{\"retries\":1}");
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(204);
    assertThat(job().getRetries()).isEqualTo(1);
  }

  private String formTask(String pi) {
    return engine.getTaskService().createTaskQuery().processInstanceId(pi).singleResult().getId();
  }

  /**
   * 2 and 4. Completing a task with variables its form does not have (an {@code Object} named like
   * a delegate bean, the run's {@code site} and {@code startedBy}): a 400 naming them, and nothing
   * changes. The form's own fields, of a simple type, complete it.
   */
  @Test
  void aTaskTakesOnlyItsFormsFieldsAndTheRunsInputsNeverChange() throws Exception {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("FoundationFormTest",
        Map.of("site", "tts", "startedBy", "operator")).getId();
    try {
      String task = formTask(pi);
      var camera = BasicAuthHttp.as(port, "camera");
      assertThat(camera.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"camera\"}").statusCode()).isEqualTo(204);
      String smuggled = "{\"variables\":{\"cameraReady\":{\"value\":true,\"type\":\"Boolean\"},"
          + "\"site\":{\"value\":\"summit\"},\"startedBy\":{\"value\":\"someone-else\"},"
          + "\"postNotice\":{\"value\":\"{\\\"note\\\":\\\"x\\\"}\",\"type\":\"Object\",\"valueInfo\":"
          + "{\"objectTypeName\":\"java.util.HashMap\",\"serializationDataFormat\":\"application/json\"}}}}";
      for (String route : new String[] {"/complete", "/submit-form", "/resolve"}) {
        HttpResponse<String> r = camera.post("/engine-rest/task/" + task + route, smuggled);
        assertThat(r.statusCode()).as(route + ": " + r.body()).isEqualTo(400);
        assertThat(r.body()).contains("postNotice").contains("site").contains("startedBy");
      }
      // a form field, but as an object: refused too
      HttpResponse<String> object = camera.post("/engine-rest/task/" + task + "/complete",
          "{\"variables\":{\"cameraReady\":{\"value\":\"{}\",\"type\":\"Json\"}}}");
      assertThat(object.statusCode()).as(object.body()).isEqualTo(400);
      // and setting variables on the task is the same door
      HttpResponse<String> put = camera.send("PUT", "/engine-rest/task/" + task + "/variables/site", "{\"value\":\"summit\"}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
      HttpResponse<String> local = camera.send("PUT", "/engine-rest/task/" + task + "/localVariables/postNotice",
          "{\"value\":\"x\"}");
      assertThat(local.statusCode()).as(local.body()).isEqualTo(400);

      assertThat(engine.getTaskService().createTaskQuery().taskId(task).count()).as("task still open").isOne();
      assertThat(engine.getRuntimeService().getVariables(pi)).containsEntry("site", "tts")
          .containsEntry("startedBy", "operator").doesNotContainKeys("postNotice", "cameraReady");
      assertThat(engine.getTaskService().getVariablesLocal(task)).isEmpty();

      // an administrator does not rewrite a run's inputs either, nor sets objects from outside
      var admin = BasicAuthHttp.as(port, "admin");
      HttpResponse<String> site = admin.send("PUT", "/engine-rest/process-instance/" + pi + "/variables/site",
          "{\"value\":\"summit\"}");
      assertThat(site.statusCode()).as(site.body()).isEqualTo(400);
      HttpResponse<String> impostor = admin.send("PUT", "/engine-rest/process-instance/" + pi + "/variables/postNotice",
          "{\"value\":\"{}\",\"type\":\"Object\",\"valueInfo\":{\"objectTypeName\":\"java.util.HashMap\","
          + "\"serializationDataFormat\":\"application/json\"}}");
      assertThat(impostor.statusCode()).as(impostor.body()).isEqualTo(400);
      assertThat(engine.getRuntimeService().getVariables(pi)).containsEntry("site", "tts").doesNotContainKey("postNotice");

      HttpResponse<String> done = camera.post("/engine-rest/task/" + task + "/complete",
          "{\"variables\":{\"cameraReady\":{\"value\":true,\"type\":\"Boolean\"}}}");
      assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    } finally {
      if (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(pi).count() > 0) {
        engine.getRuntimeService().deleteProcessInstance(pi, "test over", true, true);
      }
    }
  }

  /** 2. Objects of classes outside the JDK's plain collections are never built from a variable. */
  @Test
  void objectVariablesOfOtherClassesAreNotDeserialized() {
    assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .isDeserializationTypeValidationEnabled()).isTrue();
    engine.getRuntimeService().setVariable(instance, "impostor", Variables.serializedObjectValue("{\"note\":\"x\"}")
        .objectTypeName("org.lsst.ts.upgrade.runbook.notices.PostNotice")
        .serializationDataFormat(Variables.SerializationDataFormats.JSON).create());
    assertThatThrownBy(() -> engine.getRuntimeService().getVariable(instance, "impostor"))
        .hasMessageContaining("org.lsst.ts.upgrade.runbook.notices.PostNotice");
  }

  private long runs(String key) {
    return engine.getHistoryService().createHistoricProcessInstanceQuery().processDefinitionKey(key).count();
  }

  /**
   * 3. Runs started past the run API: the engine's REST start (even with skipCustomListeners and
   * start instructions, even as an administrator), Tasklist's "Start process", a plain Java start
   * of a run process without the run API: refused, no instance. The run API starts as the
   * orchestrator and records who asked.
   */
  @Test
  void runsStartThroughTheRunApiOnly() throws Exception {
    long before = runs("full-upgrade");
    for (String user : new String[] {"operator", "admin", "manager", "camera"}) {
      HttpResponse<String> r = BasicAuthHttp.as(port, user).post("/engine-rest/process-definition/key/full-upgrade/start",
          "{\"variables\":{\"site\":{\"value\":\"tts\"}}}");
      assertThat(r.statusCode()).as(user + ": " + r.body()).isEqualTo(403);
    }
    HttpResponse<String> skipping = BasicAuthHttp.as(port, "admin").post(
        "/engine-rest/process-definition/key/full-upgrade/start", "{\"skipCustomListeners\":true,"
            + "\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"EndEvent_UpgradeDone\"}]}");
    assertThat(skipping.statusCode()).as(skipping.body()).isIn(400, 403);
    var tasklist = new WebappSession(port);
    assertThat(tasklist.login("operator", "operator").statusCode()).isEqualTo(200);
    HttpResponse<String> startForm = tasklist.post(
        "/camunda/api/engine/engine/default/process-definition/key/minimal-testing/submit-form",
        "{\"variables\":{\"site\":{\"value\":\"tts\"}}}", Map.of("X-XSRF-TOKEN", tasklist.csrfToken()));
    assertThat(startForm.statusCode()).as(startForm.body()).isEqualTo(403);
    assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("full-upgrade",
        Map.of("site", "tts"))).hasMessageContaining("run API");
    assertThat(runs("full-upgrade")).isEqualTo(before);

    // the run API: the camera team may not start runs; an operator may, and is recorded
    assertThat(BasicAuthHttp.as(port, "camera").post("/api/runs",
        "{\"process\":\"minimal-testing\",\"site\":\"bts\",\"telescopes\":[\"auxtel\"]}").statusCode()).isEqualTo(403);
    long minimal = runs("minimal-testing");
    HttpResponse<String> started = BasicAuthHttp.as(port, "operator").post("/api/runs",
        "{\"process\":\"minimal-testing\",\"site\":\"bts\",\"telescopes\":[\"auxtel\"]}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String pi = new com.fasterxml.jackson.databind.ObjectMapper().readTree(started.body()).path("processInstanceId").asText();
    try {
      assertThat(runs("minimal-testing")).isEqualTo(minimal + 1);
      assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(pi).singleResult()
          .getStartUserId()).isEqualTo("operator");
      assertThat(engine.getRuntimeService().getVariable(pi, "startedBy")).isEqualTo("operator");
    } finally {
      org.lsst.ts.upgrade.TestRuns.cancel(engine.getRuntimeService(), pi);
    }
  }

  private String checkTask() {
    return engine.getTaskService().createTaskQuery().processInstanceId(instance).singleResult().getId();
  }

  private String assignee(String task) {
    return engine.getTaskService().createTaskQuery().taskId(task).singleResult().getAssignee();
  }

  /** 4. A claimed task is completed, unclaimed or reassigned only by its assignee or an administrator. */
  @Test
  void operatorsDoNotTakeOverEachOthersTasks() {
    var identity = engine.getIdentityService();
    if (identity.createUserQuery().userId("operator2").count() == 0) {
      var u = identity.newUser("operator2");
      u.setPassword("operator2");
      identity.saveUser(u);
      identity.createMembership("operator2", Groups.OPERATORS);
    }
    String task = checkTask();
    var operator = BasicAuthHttp.as(port, "operator");
    var other = BasicAuthHttp.as(port, "operator2");

    // nobody claims for someone else (here: the camera team, with no right to the task)
    HttpResponse<String> forCamera = operator.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"camera\"}");
    assertThat(forCamera.statusCode()).as(forCamera.body()).isEqualTo(403);
    assertThat(assignee(task)).isNull();

    assertThat(operator.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"operator\"}").statusCode()).isEqualTo(204);
    String[][] takeovers = {
        {"/resolve", "{}"}, {"/complete", "{}"}, {"/submit-form", "{}"}, {"/unclaim", "{}"},
        {"/assignee", "{\"userId\":\"operator2\"}"}, {"/delegate", "{\"userId\":\"operator2\"}"},
        {"/identity-links", "{\"userId\":\"operator2\",\"type\":\"candidate\"}"}};
    for (String[] t : takeovers) {
      HttpResponse<String> r = other.post("/engine-rest/task/" + task + t[0], t[1]);
      assertThat(r.statusCode()).as(t[0] + ": " + r.body()).isIn(403, 500);
      assertThat(r.body()).as(t[0]).contains("operator2");
      assertThat(assignee(task)).as(t[0]).isEqualTo("operator");
    }
    assertThat(engine.getTaskService().createTaskQuery().taskId(task).count()).isOne();
    assertThat(engine.getTaskService().getIdentityLinksForTask(task)).noneMatch(l -> "operator2".equals(l.getUserId()));

    // an administrator may reassign
    assertThat(BasicAuthHttp.as(port, "admin").post("/engine-rest/task/" + task + "/assignee",
        "{\"userId\":\"operator2\"}").statusCode()).isEqualTo(204);
    assertThat(assignee(task)).isEqualTo("operator2");
  }

  /** 6. A manager changes nothing: no comments, no attachments, no deletions; nobody renames themselves "admin". */
  @Test
  void managersChangeNothingAndProfilesDoNotImpersonate() {
    String task = checkTask();
    var manager = BasicAuthHttp.as(port, "manager");
    HttpResponse<String> comment = manager.post("/engine-rest/task/" + task + "/comment/create",
        "{\"message\":\"halt\",\"processInstanceId\":\"" + instance + "\"}");
    // the REST API turns every engine refusal of a comment into "400 Not enough parameters submitted"
    assertThat(comment.statusCode()).as(comment.body()).isIn(400, 403);
    assertThat(engine.getTaskService().getTaskComments(task)).isEmpty();

    var identity = engine.getIdentityService();
    identity.setAuthentication("operator", java.util.List.of(Groups.OPERATORS));
    String attachment;
    try {
      attachment = engine.getTaskService().createAttachment("url", task, instance, "log", "the step's log",
          "http://example.org/log").getId();
    } finally {
      identity.clearAuthentication();
    }
    identity.setAuthentication("manager", java.util.List.of(Groups.MANAGERS));
    try {
      assertThatThrownBy(() -> engine.getTaskService().createAttachment("url", task, instance, "x", "x", "http://x"))
          .isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);
    } finally {
      identity.clearAuthentication();
    }
    HttpResponse<String> delete = manager.send("DELETE", "/engine-rest/task/" + task + "/attachment/" + attachment);
    // (the REST API answers every engine refusal of a deletion with 404)
    assertThat(delete.statusCode()).as(delete.body()).isIn(403, 404);
    assertThat(engine.getTaskService().getTaskAttachments(task)).hasSize(1);

    for (String user : new String[] {"operator", "manager", "camera"}) {
      HttpResponse<String> rename = BasicAuthHttp.as(port, user).send("PUT", "/engine-rest/user/" + user + "/profile",
          "{\"id\":\"" + user + "\",\"firstName\":\"admin\",\"lastName\":\"\",\"email\":\"admin@example.org\"}");
      assertThat(rename.statusCode()).as(user + ": " + rename.body()).isEqualTo(403);
      assertThat(identity.createUserQuery().userId(user).singleResult().getFirstName()).isEqualTo(user);
    }
  }

  /** 5. The twin's controls are for operators and administrators; the action log says who changed what. */
  @Test
  void rehearsalControlsAreForOperatorsAndAdministrators() throws Exception {
    var admin = BasicAuthHttp.as(port, "admin");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    boolean enabled = json.readTree(admin.get("/rehearsal/autopilot").body()).path("enabled").asBoolean();
    int faults = json.readTree(admin.get("/rehearsal/faults").body()).size();
    for (String user : new String[] {"manager", "camera"}) {
      var u = BasicAuthHttp.as(port, user);
      assertThat(u.post("/rehearsal/autopilot", "{\"enabled\":" + !enabled + "}").statusCode()).as(user).isEqualTo(403);
      assertThat(u.post("/rehearsal/faults", "{\"site\":\"tts\",\"system\":\"ssh\",\"kind\":\"down\"}").statusCode())
          .as(user).isEqualTo(403);
      assertThat(u.post("/rehearsal/sites/tts/reset", "").statusCode()).as(user).isEqualTo(403);
      assertThat(u.post("/rehearsal/cscs/tts/ATDome", "{\"state\":\"OFFLINE\"}").statusCode()).as(user).isEqualTo(403);
      assertThat(u.get("/rehearsal/actions").statusCode()).as(user).isEqualTo(403);
    }
    assertThat(json.readTree(admin.get("/rehearsal/autopilot").body()).path("enabled").asBoolean()).isEqualTo(enabled);
    assertThat(json.readTree(admin.get("/rehearsal/faults").body()).size()).isEqualTo(faults);

    var operator = BasicAuthHttp.as(port, "operator");
    assertThat(operator.get("/rehearsal/autopilot").statusCode()).isEqualTo(200);
    assertThat(operator.post("/rehearsal/autopilot", "{}").statusCode()).isEqualTo(200);
    var log = json.readTree(admin.get("/rehearsal/actions").body());
    var last = log.get(log.size() - 1);
    assertThat(last.path("system").asText()).isEqualTo("control");
    assertThat(last.path("target").asText()).isEqualTo("/rehearsal/autopilot");
    assertThat(last.path("params").path("user").asText()).isEqualTo("operator");
  }
}
