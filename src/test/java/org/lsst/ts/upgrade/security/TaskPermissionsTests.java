package org.lsst.ts.upgrade.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * User tasks offered to a group (the processes started by the orchestrator, as the run API does): a task with a deployed Camunda Form (test process
 * {@code FoundationFormTest}, offered to camera-team) whose form is served, that managers and
 * operators cannot complete and the camera team can; and a task offered to operators (test process
 * {@code OperatorTaskTest}) that an operator claims and completes and a manager cannot.
 */
@RehearsalTest
class TaskPermissionsTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired ProcessEngine engine;

  private String startAndGetTask() throws Exception {
    return startAndGetTask("FoundationFormTest");
  }

  /** Started by the orchestrator: people start nothing past the run API (see peopleCannotStartProcessesPastTheRunApi). */
  private String startAndGetTask(String processKey) throws Exception {
    String instance = engine.getRuntimeService().startProcessInstanceByKey(processKey).getId();
    HttpResponse<String> tasks = BasicAuthHttp.as(port, "admin").get("/engine-rest/task?processInstanceId=" + instance);
    JsonNode list = JSON.readTree(tasks.body());
    assertThat(list).hasSize(1);
    return list.get(0).path("id").asText();
  }

  @Test
  void theDeployedFormIsServed() throws Exception {
    String task = startAndGetTask();
    HttpResponse<String> form = BasicAuthHttp.as(port, "camera").get("/engine-rest/task/" + task + "/deployed-form");
    assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(form.body());
    assertThat(body.path("id").asText()).isEqualTo("FoundationTestForm");
    assertThat(body.path("components").get(0).path("key").asText()).isEqualTo("cameraReady");
    // the form came from the auto-deployment of forms/*.form
    assertThat(engine.getRepositoryService().createDeploymentQuery().list().stream()
        .flatMap(d -> engine.getRepositoryService().getDeploymentResourceNames(d.getId()).stream()))
        .anyMatch(n -> n.endsWith("forms/foundation-test.form"));
  }

  @Test
  void aManagerCannotCompleteTheCameraTeamCan() throws Exception {
    String task = startAndGetTask();

    HttpResponse<String> manager = BasicAuthHttp.as(port, "manager").post("/engine-rest/task/" + task + "/complete", "{}");
    assertThat(manager.statusCode()).as(manager.body()).isEqualTo(403);
    // managers read, though
    assertThat(BasicAuthHttp.as(port, "manager").get("/engine-rest/task/" + task).statusCode()).isEqualTo(200);
    assertThat(BasicAuthHttp.as(port, "manager").get("/engine-rest/history/process-instance").statusCode()).isEqualTo(200);
    // nor can an operator complete a task that is offered to the camera team only
    assertThat(BasicAuthHttp.as(port, "operator").post("/engine-rest/task/" + task + "/complete", "{}").statusCode())
        .isEqualTo(403);

    var camera = BasicAuthHttp.as(port, "camera");
    assertThat(camera.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"camera\"}").statusCode()).isEqualTo(204);
    HttpResponse<String> done = camera.post("/engine-rest/task/" + task + "/complete",
        "{\"variables\":{\"cameraReady\":{\"value\":true,\"type\":\"Boolean\"}}}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    assertThat(engine.getTaskService().createTaskQuery().taskId(task).count()).isZero();
  }

  @Test
  void operatorsClaimAndCompleteTasksOfferedToThemManagersCannot() throws Exception {
    var operator = BasicAuthHttp.as(port, "operator");
    var manager = BasicAuthHttp.as(port, "manager");
    String task = startAndGetTask("OperatorTaskTest");
    String instance = engine.getTaskService().createTaskQuery().taskId(task).singleResult().getProcessInstanceId();

    assertThat(manager.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"manager\"}").statusCode())
        .isEqualTo(403);
    HttpResponse<String> refused = manager.post("/engine-rest/task/" + task + "/complete", "{}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(engine.getTaskService().createTaskQuery().taskId(task).singleResult().getAssignee()).isNull();

    HttpResponse<String> claimed = operator.post("/engine-rest/task/" + task + "/claim", "{\"userId\":\"operator\"}");
    assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(204);
    assertThat(engine.getTaskService().createTaskQuery().taskId(task).singleResult().getAssignee()).isEqualTo("operator");
    HttpResponse<String> done = operator.post("/engine-rest/task/" + task + "/complete", "{}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(204);

    assertThat(engine.getTaskService().createTaskQuery().taskId(task).count()).isZero();
    assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(instance)
        .completed().count()).isOne();
  }

  /** Issue 13: one door into a run; not even an administrator starts a process over the engine's REST API. */
  @Test
  void peopleCannotStartProcessesPastTheRunApi() {
    long before = engine.getRuntimeService().createProcessInstanceQuery().count();
    for (String user : new String[] {"manager", "operator", "camera", "admin"}) {
      HttpResponse<String> r = BasicAuthHttp.as(port, user)
          .post("/engine-rest/process-definition/key/FoundationFormTest/start", "{}");
      assertThat(r.statusCode()).as(user + ": " + r.body()).isEqualTo(403);
    }
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isEqualTo(before);
  }
}
