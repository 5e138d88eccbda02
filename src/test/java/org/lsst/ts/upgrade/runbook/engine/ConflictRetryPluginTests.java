package org.lsst.ts.upgrade.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lost optimistic-locking race is run again at once; a real failure waits its retry cycle. */
class ConflictRetryPluginTests {
  final AtomicReference<RuntimeException> next = new AtomicReference<>();
  ProcessEngine engine;

  @BeforeEach
  void engine() {
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "conflict-retry-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setJobExecutorActivate(false);
    cfg.setProcessEnginePlugins(List.of(new ConflictRetryPlugin()));
    cfg.setBeans(new java.util.HashMap<>(java.util.Map.of("step", (JavaDelegate) e -> {
      RuntimeException failure = next.getAndSet(null);
      if (failure != null) {
        throw failure;
      }
    })));
    engine = cfg.buildProcessEngine();
    engine.getRepositoryService().createDeployment().addModelInstance("step.bpmn",
        Bpmn.createExecutableProcess("step").camundaHistoryTimeToLive(1).startEvent()
            .serviceTask("Step").camundaDelegateExpression("${step}").camundaAsyncBefore()
            .camundaFailedJobRetryTimeCycle("R3/PT30S")
            .endEvent().done()).deploy();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aConflictIsRetriedAtOnceWithItsRetriesKept() {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("step").getId();
    next.set(new OptimisticLockingException("ENGINE-03005 Execution of 'UPDATE VariableInstanceEntity[x]' failed"));
    long before = System.currentTimeMillis();

    Job job = runJob(pi);

    assertThat(job.getRetries()).isEqualTo(3);
    assertThat(job.getDuedate().getTime() - before)
        .isBetween(0L, ConflictRetryPlugin.DELAY.toMillis() * 2 + 1_000);
    engine.getManagementService().executeJob(job.getId());
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(pi).count()).isZero();
  }

  @Test
  void anyOtherFailureWaitsTheStepsRetryCycle() {
    String pi = engine.getRuntimeService().startProcessInstanceByKey("step").getId();
    next.set(new IllegalStateException("LOVE is unavailable (503)"));
    long before = System.currentTimeMillis();

    Job job = runJob(pi);

    assertThat(job.getRetries()).isEqualTo(2);
    assertThat(job.getDuedate().getTime() - before).isGreaterThanOrEqualTo(29_000);
    assertThat(job.getExceptionMessage()).contains("503");
  }

  @Test
  void aWrappedConflictCountsAsAConflict() {
    assertThat(ConflictRetryPlugin.isConflict(new RuntimeException(new OptimisticLockingException("x")))).isTrue();
    assertThat(ConflictRetryPlugin.isConflict(new RuntimeException("x"))).isFalse();
  }

  private Job runJob(String pi) {
    Job job = engine.getManagementService().createJobQuery().processInstanceId(pi).singleResult();
    assertThatThrownBy(() -> engine.getManagementService().executeJob(job.getId())).isInstanceOf(RuntimeException.class);
    return engine.getManagementService().createJobQuery().processInstanceId(pi).singleResult();
  }
}
