package org.lsst.ts.upgrade.runbook.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.kubernetes.KubernetesProperties;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;

/**
 * {@code clean-up-cluster}: the verification is a timer loop. The step deletes and returns; while
 * something is left the process waits at its timer (no job runs, so no thread is held), looks again
 * with one listing, and after {@code upgrade.kubernetes.verification-deadline} asks a person.
 */
class CleanUpClusterProcessTests {
  private static final List<String> LEFT = List.of("Job/obssys/scriptqueue1", "Pod/obssys/scriptqueue1-x7k2p");

  @RegisterExtension static final RunbookEngine h = new RunbookEngine().with(KubernetesProperties.class,
      new KubernetesProperties(null, false, Duration.ofMinutes(2), Duration.ofSeconds(1)));

  @AfterEach
  void realClock() {
    ClockUtil.reset();
  }

  @BeforeEach
  void aJobWhosePodIsStillTerminating() {
    reset(h.cleanup);
    when(h.cleanup.cleanupAll(anyString(), eq(false))).thenReturn(new CleanupReport(List.of("Job/obssys/scriptqueue1"),
        List.of(), LEFT, false));
  }

  private ProcessInstance start() {
    return h.engine.getRuntimeService().startProcessInstanceByKey(CleanUpClusterIds.KEY, "cleanup-test-" + System.nanoTime(),
        Map.of(RunVariables.SITE, "tts", RunVariables.CLEANUP_TARGET, "ALL", RunVariables.POLL_INTERVAL, "PT5S"));
  }

  /** Runs the jobs that are due now (not the timers, which wait for the clock). */
  private void runDueJobs() {
    for (int i = 0; i < 50; i++) {
      List<Job> due = h.engine.getManagementService().createJobQuery().executable().withRetriesLeft().list();
      if (due.isEmpty()) {
        return;
      }
      due.forEach(j -> h.engine.getManagementService().executeJob(j.getId()));
    }
  }

  /** The poll interval passes. */
  private void fireTimer(ProcessInstance pi) {
    Job timer = h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().singleResult();
    ClockUtil.setCurrentTime(new Date(Math.max(ClockUtil.getCurrentTime().getTime(), timer.getDuedate().getTime() + 1)));
    runDueJobs();
  }

  @Test
  void whileSomethingIsLeftTheProcessWaitsAtItsTimerAndLooksAgainUntilItIsGone() {
    when(h.cleanup.stillPresent(anyString(), anyList())).thenReturn(LEFT, List.of("Pod/obssys/scriptqueue1-x7k2p"), List.of());
    ProcessInstance pi = start();
    runDueJobs();

    // deleted, one look: the pod is still terminating. The step is over; the process waits at the timer
    assertThat(pi).isWaitingAt(CleanUpClusterIds.TIMER_CLEANUP_RECHECK);
    assertThat(h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).list()).singleElement()
        .satisfies(j -> assertThat(j.getDuedate()).isAfter(ClockUtil.getCurrentTime()));
    verify(h.cleanup, times(1)).cleanupAll("tts", false);

    fireTimer(pi);
    assertThat(pi).isWaitingAt(CleanUpClusterIds.TIMER_CLEANUP_RECHECK);

    fireTimer(pi);
    assertThat(pi).isEnded();
    // only what was left is looked for again
    verify(h.cleanup).stillPresent("tts", List.of("Pod/obssys/scriptqueue1-x7k2p"));
    assertThat(h.passed(pi)).contains(CleanUpClusterIds.END_CLUSTER_CLEANED_UP).doesNotContain(CleanUpClusterIds.REVIEW_LEFTOVERS);
    verify(h.cleanup, times(3)).stillPresent(eq("tts"), anyList());
    verify(h.cleanup, times(1)).cleanupAll("tts", false);
  }

  @Test
  void whatIsStillThereAtTheDeadlineGoesToAPerson() {
    when(h.cleanup.stillPresent(anyString(), anyList())).thenReturn(LEFT);
    ProcessInstance pi = start();
    runDueJobs();
    assertThat(pi).isWaitingAt(CleanUpClusterIds.TIMER_CLEANUP_RECHECK);

    // a look before the deadline: the loop goes on
    fireTimer(pi);
    assertThat(pi).isWaitingAt(CleanUpClusterIds.TIMER_CLEANUP_RECHECK);

    // two minutes later (upgrade.kubernetes.verification-deadline): the next look asks a person
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(2).toMillis()));
    fireTimer(pi);
    assertThat(pi).isWaitingAt(CleanUpClusterIds.REVIEW_LEFTOVERS);
    var task = h.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
    assertThat((String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.CLEANUP_LEFTOVERS_TEXT))
        .contains("Still present after cleanup_all", "Job/obssys/scriptqueue1", "Pod/obssys/scriptqueue1-x7k2p");
    h.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over");
  }
}
