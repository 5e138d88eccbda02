package org.lsst.ts.upgrade.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's completion that meets a concurrent change of its run is completed again (the whole
 * command was rolled back); a refusal, or a conflict that does not go away, reaches the person.
 */
class TaskConflictRetryPluginTests {
  /** How many of the next completions lose a race (the listener throws what the engine would). */
  final AtomicInteger conflicts = new AtomicInteger();
  final AtomicInteger completions = new AtomicInteger();
  ProcessEngine engine;

  @BeforeEach
  void engine() {
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "task-conflict-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setJobExecutorActivate(false);
    cfg.setProcessEnginePlugins(List.of(new TaskConflictRetryPlugin()));
    cfg.setBeans(new java.util.HashMap<>(java.util.Map.of("answerCheck", (TaskListener) t -> {
      completions.incrementAndGet();
      if (conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new OptimisticLockingException("ENGINE-03005 Execution of 'UPDATE ExecutionEntity[x]' failed");
      }
      if ("refuse".equals(t.getVariable("answer"))) {
        throw new IllegalArgumentException("not an answer");
      }
    })));
    engine = cfg.buildProcessEngine();
    engine.getRepositoryService().createDeployment().addModelInstance("ask.bpmn",
        Bpmn.createExecutableProcess("ask").camundaHistoryTimeToLive(1).startEvent()
            .userTask("Ask").camundaTaskListenerDelegateExpression("complete", "${answerCheck}")
            .endEvent().done()).deploy();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aCompletionThatLostARaceIsCompletedAgain() {
    String pid = engine.getRuntimeService().startProcessInstanceByKey("ask").getId();
    String task = engine.getTaskService().createTaskQuery().processInstanceId(pid).singleResult().getId();
    conflicts.set(2);

    engine.getTaskService().complete(task, java.util.Map.of("answer", "yes"));

    assertThat(completions).hasValue(3);
    assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(pid).count()).isZero();
  }

  @Test
  void aRefusalIsNotRetriedAndAConflictThatLastsReachesThePerson() {
    String pid = engine.getRuntimeService().startProcessInstanceByKey("ask").getId();
    String task = engine.getTaskService().createTaskQuery().processInstanceId(pid).singleResult().getId();

    assertThatThrownBy(() -> engine.getTaskService().complete(task, java.util.Map.of("answer", "refuse")))
        .hasMessageContaining("not an answer");
    assertThat(completions).hasValue(1);

    completions.set(0);
    conflicts.set(10);
    assertThatThrownBy(() -> engine.getTaskService().complete(task, java.util.Map.of("answer", "yes")))
        .satisfies(e -> assertThat(ConflictRetryPlugin.isConflict(e)).as("the conflict, told").isTrue());
    assertThat(completions).hasValue(TaskConflictRetryPlugin.ATTEMPTS);
    assertThat(engine.getTaskService().createTaskQuery().taskId(task).count()).as("still open").isOne();
  }
}
