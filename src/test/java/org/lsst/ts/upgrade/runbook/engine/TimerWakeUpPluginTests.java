package org.lsst.ts.upgrade.runbook.engine;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A timer fires when it falls due although the job acquisition, idle, would not poll again for a
 * minute: the wake-up, not the polling, starts it.
 */
class TimerWakeUpPluginTests {
  ProcessEngine engine;

  @BeforeEach
  void engine() {
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "timer-wake-up-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    DefaultJobExecutor executor = new DefaultJobExecutor();
    executor.setWaitTimeInMillis(60_000);
    executor.setMaxWait(60_000);
    cfg.setJobExecutor(executor);
    cfg.setJobExecutorActivate(true);
    cfg.setProcessEnginePlugins(List.of(new TimerWakeUpPlugin()));
    engine = cfg.buildProcessEngine();
    engine.getRepositoryService().createDeployment().addModelInstance("wait.bpmn",
        Bpmn.createExecutableProcess("wait").camundaHistoryTimeToLive(1).startEvent()
            .userTask("Before")
            .intermediateCatchEvent("Wait").timerWithDuration("PT0.5S")
            .userTask("After").endEvent().done()).deploy();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aTimerFiresWhenDueNotAtTheNextIdlePoll() {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("wait").getId();
    // the acquisition has polled (at its start, at this commit) and found nothing due: idle for 60 s
    await().atMost(Duration.ofSeconds(10)).until(() ->
        engine.getTaskService().createTaskQuery().processInstanceId(pi).taskDefinitionKey("Before").count() == 1);
    engine.getTaskService().complete(engine.getTaskService().createTaskQuery().processInstanceId(pi).singleResult().getId());
    await().atMost(Duration.ofSeconds(20)).until(() ->
        engine.getTaskService().createTaskQuery().processInstanceId(pi).taskDefinitionKey("After").count() == 1);
  }
}
