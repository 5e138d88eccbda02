package org.lsst.ts.upgrade.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A step that fails after its retries two calls deep: the incidents the engine raises on the call
 * activities above it carry a message naming the step and its error, in the runtime and in the
 * history; the step's own incident keeps its error as it was.
 */
class CalledStepIncidentsTests {
  private static final String ERROR = "LOVE at site 'tts': cmd_add to ScriptQueue:1: LOVE is unavailable (503)";
  ProcessEngine engine;

  @BeforeEach
  void engine() {
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "called-step-incidents-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setJobExecutorActivate(false);
    cfg.setHistory("full");
    cfg.setProcessEnginePlugins(List.of(new CalledStepIncidents()));
    cfg.setBeans(new java.util.HashMap<>(java.util.Map.of("step", (JavaDelegate) e -> {
      throw new IllegalStateException(ERROR);
    })));
    engine = cfg.buildProcessEngine();
    engine.getRepositoryService().createDeployment()
        .addModelInstance("run.bpmn", Bpmn.createExecutableProcess("run").camundaHistoryTimeToLive(1).startEvent()
            .callActivity("CallActivity_Stage").name("A stage").calledElement("stage").endEvent().done())
        .addModelInstance("stage.bpmn", Bpmn.createExecutableProcess("stage").camundaHistoryTimeToLive(1).startEvent()
            .callActivity("CallActivity_Script").name("A script").calledElement("script").endEvent().done())
        .addModelInstance("script.bpmn", Bpmn.createExecutableProcess("script").camundaHistoryTimeToLive(1).startEvent()
            .serviceTask("ServiceTask_AddScript").name("Add the script to the queue").camundaDelegateExpression("${step}")
            .camundaAsyncBefore().camundaFailedJobRetryTimeCycle("R1/PT1S").endEvent().done())
        .deploy();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theCallActivitiesAboveAFailedStepSayWhichStepFailedAndWhy() {
    String run = engine.getRuntimeService().startProcessInstanceByKey("run").getId();
    Job job = engine.getManagementService().createJobQuery().singleResult();
    for (int attempt = 0; attempt < 5 && engine.getRuntimeService().createIncidentQuery().count() == 0; attempt++) {
      try {
        engine.getManagementService().executeJob(job.getId());
      } catch (IllegalStateException expected) {
        // the step's failure: the engine counts it down
      }
    }
    List<Incident> incidents = engine.getRuntimeService().createIncidentQuery().list();
    assertThat(incidents).hasSize(3);
    Incident root = incidents.stream().filter(i -> i.getId().equals(i.getRootCauseIncidentId())).findFirst().orElseThrow();
    assertThat(root.getIncidentMessage()).isEqualTo(ERROR);
    List<Incident> above = incidents.stream().filter(i -> i != root).toList();
    assertThat(above).extracting(Incident::getActivityId)
        .containsExactlyInAnyOrder("CallActivity_Stage", "CallActivity_Script");
    assertThat(above).anyMatch(i -> i.getProcessInstanceId().equals(run)).allSatisfy(i -> assertThat(i.getIncidentMessage())
        .startsWith("Step \"Add the script to the queue\" of script failed after its retries: " + ERROR));
    above.forEach(i -> assertThat(engine.getHistoryService().createHistoricIncidentQuery().incidentId(i.getId())
        .singleResult().getIncidentMessage()).isEqualTo(i.getIncidentMessage()));
  }

  @Test
  void aLongErrorIsCutToFitTheColumn() {
    String text = CalledStepIncidents.callerMessage("Step", "script:1:7", "x".repeat(5000));
    assertThat(text).hasSizeLessThanOrEqualTo(CalledStepIncidents.MAX_MESSAGE).contains("xxx…").endsWith("this one.)");
  }
}
