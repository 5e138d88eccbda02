package org.lsst.ts.upgrade.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step that failed after its retries (R2/PT30S) is an incident whose job is due at the failure,
 * not 30 s later: once its retries are set again (Cockpit's "Retry") the job executor's query for
 * due jobs finds it at once, and it runs. Without the plugin, the engine's own behaviour: due at
 * the end of the last interval. A timer whose retries someone set to 0 (no failure) keeps its due
 * date. {@link RetryAtOnce} is the retry command of {@link ConflictRetryPlugin}'s factory.
 */
class RetryAtOnceTests {
  static final Date T0 = new Date(1_800_000_000_000L);
  ProcessEngine engine;
  final AtomicBoolean fails = new AtomicBoolean(true);

  @AfterEach
  void close() {
    ClockUtil.reset();
    engine.close();
  }

  @Test
  void aStepRetriedAfterItsIncidentIsDueAtOnce() {
    engine = engine(List.of(new ConflictRetryPlugin()));
    String run = engine.getRuntimeService().startProcessInstanceByKey("run").getId();
    ManagementService management = engine.getManagementService();
    Job job = failUntilIncident();

    fails.set(false);
    management.setJobRetries(job.getId(), 1);
    assertThat(management.createJobQuery().jobId(job.getId()).singleResult().getDuedate()).isEqualTo(T0);
    // the job executor's acquisition asks for jobs due by now: this one is, 30 s early
    assertThat(management.createJobQuery().executable().list()).extracting(Job::getId).containsExactly(job.getId());
    management.executeJob(job.getId());
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(run).count()).isZero();
  }

  @Test
  void withoutItTheRetriedStepWaitsForTheLastInterval() {
    engine = engine(List.of());
    engine.getRuntimeService().startProcessInstanceByKey("run");
    ManagementService management = engine.getManagementService();
    Job job = failUntilIncident();

    management.setJobRetries(job.getId(), 1);
    assertThat(management.createJobQuery().jobId(job.getId()).singleResult().getDuedate())
        .isEqualTo(new Date(T0.getTime() + 30_000));
    assertThat(management.createJobQuery().executable().list()).isEmpty();
  }

  @Test
  void aTimerWhoseRetriesSomeoneSetToZeroKeepsItsDueDate() {
    engine = engine(List.of(new ConflictRetryPlugin()));
    engine.getRepositoryService().createDeployment()
        .addModelInstance("waiting.bpmn", Bpmn.createExecutableProcess("waiting").camundaHistoryTimeToLive(1)
            .startEvent().intermediateCatchEvent("Timer_AnHour").timerWithDuration("PT1H").endEvent().done())
        .deploy();
    engine.getRuntimeService().startProcessInstanceByKey("waiting");
    ManagementService management = engine.getManagementService();
    Job timer = management.createJobQuery().singleResult();
    Date due = timer.getDuedate();
    assertThat(due).isEqualTo(new Date(T0.getTime() + 3_600_000));

    // an incident, but no failure: the timer must still fire at its time once retried
    management.setJobRetries(timer.getId(), 0);
    assertThat(engine.getRuntimeService().createIncidentQuery().count()).isEqualTo(1);
    management.setJobRetries(timer.getId(), 1);
    assertThat(management.createJobQuery().jobId(timer.getId()).singleResult().getDuedate()).isEqualTo(due);
    assertThat(management.createJobQuery().executable().list()).isEmpty();
  }

  /** Runs the step's job until its retries are spent (the clock stands still at T0). */
  private Job failUntilIncident() {
    ManagementService management = engine.getManagementService();
    Job job = management.createJobQuery().singleResult();
    for (int attempt = 0; attempt < 5 && engine.getRuntimeService().createIncidentQuery().count() == 0; attempt++) {
      try {
        management.executeJob(job.getId());
      } catch (IllegalStateException expected) {
        // the step's failure: the engine counts it down
      }
    }
    assertThat(engine.getRuntimeService().createIncidentQuery().count()).isEqualTo(1);
    return job;
  }

  private ProcessEngine engine(List<ProcessEnginePlugin> plugins) {
    ClockUtil.setCurrentTime(T0);
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "retry-at-once-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setJobExecutorActivate(false);
    cfg.setProcessEnginePlugins(plugins);
    cfg.setBeans(new java.util.HashMap<>(Map.of("step", (JavaDelegate) e -> {
      if (fails.get()) {
        throw new IllegalStateException("LOVE is unavailable (503)");
      }
    })));
    ProcessEngine e = cfg.buildProcessEngine();
    e.getRepositoryService().createDeployment()
        .addModelInstance("run.bpmn", Bpmn.createExecutableProcess("run").camundaHistoryTimeToLive(1).startEvent()
            .serviceTask("ServiceTask_AddScript").camundaDelegateExpression("${step}")
            .camundaAsyncBefore().camundaFailedJobRetryTimeCycle("R2/PT30S").endEvent().done())
        .deploy();
    return e;
  }
}
