package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.beans.factory.annotation.Autowired;

@RehearsalTest
class AutopilotTests {
  private static final String FORM = """
      {"id": "confirm-phalanx-merged", "type": "default", "components": [
        {"type": "text", "text": "Do it?"},
        {"key": "phalanxMerged", "type": "checkbox", "label": "Merged"},
        {"key": "doIt", "type": "checkbox", "label": "Do it", "defaultValue": true},
        {"key": "how", "type": "select", "label": "How", "defaultValue": "carefully",
         "values": [{"label": "carefully", "value": "carefully"}, {"label": "fast", "value": "fast"}]},
        {"key": "shown", "type": "textfield", "label": "Shown", "readonly": true, "defaultValue": "overwritten?"},
        {"type": "group", "label": "more", "components": [
          {"key": "count", "type": "number", "label": "Count", "defaultValue": 3}]},
        {"key": "noDefault", "type": "textfield", "label": "Notes"}]}
      """;

  private static final String BPMN = """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
          xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test" id="d">
        <bpmn:process id="autopilot-test" isExecutable="true" camunda:historyTimeToLive="P1D">
          <bpmn:startEvent id="start"/>
          <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="UserTask_First"/>
          <bpmn:userTask id="UserTask_First" name="First" camunda:candidateGroups="operators"
              camunda:formRef="confirm-phalanx-merged" camunda:formRefBinding="deployment"/>
          <bpmn:sequenceFlow id="f2" sourceRef="UserTask_First" targetRef="UserTask_Second"/>
          <bpmn:userTask id="UserTask_Second" name="Second, created while the autopilot runs"
              camunda:candidateGroups="camera-team"/>
          <bpmn:sequenceFlow id="f3" sourceRef="UserTask_Second" targetRef="end"/>
          <bpmn:endEvent id="end"/>
        </bpmn:process>
      </bpmn:definitions>
      """;

  @Autowired Autopilot autopilot;
  @Autowired RepositoryService repository;
  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired TaskService taskService;

  @AfterEach
  void off() {
    autopilot.setEnabled(false);
    autopilot.setDelay(Duration.ZERO);
    autopilot.clearOverrides();
    autopilot.pausePolling(false);
  }

  @Test
  void aTaskWakesTheAutopilotWhenItIsCreatedItsPollIsOnlyTheBackstop() {
    repository.createDeployment().name("autopilot-wake-test")
        .addString("autopilot-test.bpmn", BPMN).addString("autopilot-test.form", FORM).deploy();
    // no poll: each of the two tasks is answered only because its creation woke the autopilot
    autopilot.pausePolling(true);
    autopilot.setEnabled(true);
    String id = runtime.startProcessInstanceByKey("autopilot-test", Map.of("shown", "kept")).getId();

    await().atMost(Duration.ofSeconds(20)).until(() -> history.createHistoricProcessInstanceQuery()
        .processInstanceId(id).finished().count() == 1);
    assertThat(history.createHistoricTaskInstanceQuery().processInstanceId(id).taskAssignee(Autopilot.USER).count())
        .isEqualTo(2);
  }

  @Test
  void completesEveryTaskAsAutopilotWithItsAnswerSheetNotTheFormDefaultsAfterTheDelay() {
    repository.createDeployment().name("autopilot-test")
        .addString("autopilot-test.bpmn", BPMN).addString("autopilot-test.form", FORM).deploy();
    autopilot.setDelay(Duration.ofMillis(300));
    autopilot.override(Map.of("confirm-phalanx-merged", Map.of("how", "fast")));
    autopilot.setEnabled(true);
    String id = runtime.startProcessInstanceByKey("autopilot-test", Map.of("shown", "kept")).getId();

    await().atMost(Duration.ofSeconds(20)).until(() -> history.createHistoricProcessInstanceQuery()
        .processInstanceId(id).finished().count() == 1);

    Map<String, Object> vars = new java.util.HashMap<>();
    history.createHistoricVariableInstanceQuery().processInstanceId(id).list()
        .forEach(v -> vars.put(v.getName(), v.getValue()));
    // the sheet's answer for the form, this rehearsal's override; none of the form's defaults
    assertThat(vars).containsEntry("phalanxMerged", true).containsEntry("how", "fast").containsEntry("shown", "kept")
        .doesNotContainKeys("doIt", "count", "noDefault");

    List<HistoricTaskInstance> done = history.createHistoricTaskInstanceQuery().processInstanceId(id)
        .orderByHistoricActivityInstanceStartTime().asc().list();
    assertThat(done).extracting(HistoricTaskInstance::getTaskDefinitionKey)
        .containsExactly("UserTask_First", "UserTask_Second");
    assertThat(done).allSatisfy(t -> {
      assertThat(t.getAssignee()).isEqualTo(Autopilot.USER);
      assertThat(Duration.between(t.getStartTime().toInstant(), t.getEndTime().toInstant()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    });
    assertThat(history.createUserOperationLogQuery().processInstanceId(id).operationType("Complete").list())
        .isNotEmpty().allSatisfy(o -> assertThat(o.getUserId()).isEqualTo(Autopilot.USER));
  }

  @Test
  void leavesTasksAloneWhenOff() throws Exception {
    repository.createDeployment().name("autopilot-test")
        .addString("autopilot-test.bpmn", BPMN).addString("autopilot-test.form", FORM).deploy();
    autopilot.setEnabled(false);
    long before = autopilot.completedCount();
    String id = runtime.startProcessInstanceByKey("autopilot-test").getId();

    // Many of its 100 ms polls go by: the task stays open and unclaimed.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
        taskService.createTaskQuery().processInstanceId(id).taskDefinitionKey("UserTask_First").taskUnassigned()
            .count() == 1);
    assertThat(autopilot.completedCount()).isEqualTo(before);
    runtime.deleteProcessInstance(id, "test done");

    assertThat(autopilot.answersFor("confirm-phalanx-merged")).isEqualTo(Map.of("phalanxMerged", true));
  }
}
