package org.lsst.ts.upgrade.runbook.sync;

import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.argocd.ArgoCd.AppStatus;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.argocd.TwinArgoCdFixture;
import org.lsst.ts.upgrade.rehearsal.ActionLog;

/**
 * Engine-level tests of {@code sync-app}: the soft deadline (asked at once, withdrawn when the sync ends
 * or fails, "stop waiting"), the deadline, and an operation already in progress.
 */
class SyncAppProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  @AfterEach
  void realClock() {
    ClockUtil.reset();
  }

  private ProcessInstance syncApp(String app) {
    return h.engine.getRuntimeService().startProcessInstanceByKey(SyncAppIds.KEY, Map.of(
        RunVariables.SITE, "tts", RunVariables.RUN_ID, "tts-sync-" + System.nanoTime(), RunVariables.CYCLE, "Cycle 40",
        RunVariables.POLL_INTERVAL, "PT1S", RunVariables.APP, app));
  }

  private Task task(ProcessInstance pi) {
    return h.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
  }

  private static AppStatus app(String name, String phase, Instant startedAt) {
    return new AppStatus(name, "telescope", "OutOfSync", "Progressing", phase, "waiting for completion", startedAt,
        null);
  }

  private void passSoftDeadline(ProcessInstance pi) {
    var timer = h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .activityId(SyncAppIds.START_SYNC_OVERDUE).singleResult();
    assertThat(timer).as("the soft deadline's timer").isNotNull();
    h.engine.getManagementService().executeJob(timer.getId());
  }

  @Test
  void aSyncLongerThanUsualIsPutToAPersonAtOnceWhoStopsWaitingThenDecidesAsOnAFailure() {
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.RUNNING, "operation on love is Running: waiting for completion", null));
    ProcessInstance pi = syncApp("love");
    h.runJobs(6);
    assertThat(task(pi)).isNull();

    passSoftDeadline(pi);
    Task overdue = task(pi);
    assertThat(overdue.getTaskDefinitionKey()).isEqualTo(SyncAppIds.SYNC_OVERDUE);
    assertThat((String) h.engine.getRuntimeService().getVariable(pi.getId(), RunVariables.SYNC_OVERDUE_TEXT))
        .contains("sync of `love` has run longer than it usually does").contains("counts as failed at");
    h.engine.getIdentityService().setAuthenticatedUserId("operator");
    try {
      h.engine.getTaskService().complete(overdue.getId(), Map.of("syncOverdueDecision", "stop"));
    } finally {
      h.engine.getIdentityService().clearAuthentication();
    }
    h.runJobs(2);
    Task failure = task(pi);
    assertThat(failure.getTaskDefinitionKey()).isEqualTo(SyncAppIds.HANDLE_SYNC_FAILURE);
    assertThat((String) h.engine.getRuntimeService().getVariable(pi.getId(), RunVariables.SYNC_FAILURE_TEXT))
        .contains("operator chose to stop waiting for it");
    // the question was answered, not withdrawn: its "stop waiting" is what opened the failure task
    assertThat(openTasks(pi)).hasSize(1);
    assertThat(h.passed(pi)).contains(SyncAppIds.END_SYNC_STOP_REQUESTED)
        .doesNotContain(SyncAppIds.END_SYNC_OVERDUE_WITHDRAWN);
    // a retry waits anew (no stop left over) and this time the sync ends
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.SUCCEEDED, "synced", null));
    h.engine.getTaskService().complete(failure.getId(), Map.of(RunVariables.SYNC_DECISION, Decisions.RETRY));
    h.runJobs(10);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(SyncAppIds.END_APP_SYNCED);
  }

  @Test
  void theQuestionIsWithdrawnWhenTheSyncEndsMeanwhile() {
    ProcessInstance pi = overdueWhileRunning("love");
    Task overdue = task(pi);

    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.SUCCEEDED, "synced", null));
    h.runJobs(4);
    assertThat(pi).isEnded();
    assertThat(h.engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(overdue.getId()).singleResult()
        .getDeleteReason()).isNotEqualTo("completed");
  }

  /** A sync of {@code app} still running past the time it usually takes: the question is open. */
  private ProcessInstance overdueWhileRunning(String app) {
    when(h.argo.progress(anyString(), eq(app), any())).thenReturn(
        new SyncProgress(SyncProgress.State.RUNNING, "operation on " + app + " is Running: waiting for completion", null));
    ProcessInstance pi = syncApp(app);
    h.runJobs(4);
    passSoftDeadline(pi);
    assertThat(task(pi).getTaskDefinitionKey()).isEqualTo(SyncAppIds.SYNC_OVERDUE);
    return pi;
  }

  private List<Task> openTasks(ProcessInstance pi) {
    return h.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).list();
  }

  @Test
  void theQuestionIsWithdrawnWhenTheSyncFailsAndNothingIsLeftOpenThroughARetry() {
    ProcessInstance pi = overdueWhileRunning("love");
    Task overdue = task(pi);

    // nobody answers; the sync fails meanwhile: the failure task opens and the question goes
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.FAILED, "operation on love Failed: one or more objects failed to apply",
            null));
    h.runJobs(2);
    assertThat(openTasks(pi)).extracting(Task::getTaskDefinitionKey).as("only the failure task is open")
        .containsExactly(SyncAppIds.HANDLE_SYNC_FAILURE);
    assertThat(h.engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(overdue.getId()).singleResult()
        .getDeleteReason()).as("withdrawn, not answered").isNotNull().isNotEqualTo("completed");
    assertThat(h.passed(pi)).contains(SyncAppIds.END_SYNC_OVERDUE_WITHDRAWN)
        .doesNotContain(SyncAppIds.END_SYNC_STOP_REQUESTED, SyncAppIds.END_KEEP_WAITING_FOR_SYNC);
    assertThat(h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName("syncOverdueDecision").count()).as("nobody answered it").isZero();

    // the retry runs long again: nothing is open while it runs (the soft deadline is asked once)
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.RUNNING, "operation on love is Running: waiting for completion", null));
    h.engine.getTaskService().complete(task(pi).getId(), Map.of(RunVariables.SYNC_DECISION, Decisions.RETRY));
    h.runJobs(6);
    assertThat(pi).as("still waiting for the retried sync").isNotEnded();
    assertThat(openTasks(pi)).as("nothing left open through the retry").isEmpty();
    assertThat(h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .activityId(SyncAppIds.START_SYNC_OVERDUE).count()).as("not asked again").isZero();
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.SUCCEEDED, "synced", null));
    h.runJobs(4);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(SyncAppIds.END_APP_SYNCED);
    verify(h.argo, times(2)).sync("tts", "love");
  }

  @Test
  void theQuestionIsWithdrawnAtTheSyncDeadlineToo() {
    ProcessInstance pi = overdueWhileRunning("love");
    Task overdue = task(pi);

    ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofMinutes(21))));
    h.runJobs(2);
    assertThat(openTasks(pi)).extracting(Task::getTaskDefinitionKey)
        .containsExactly(SyncAppIds.HANDLE_SYNC_FAILURE);
    assertThat(h.engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(overdue.getId()).singleResult()
        .getDeleteReason()).as("withdrawn, not answered").isNotNull().isNotEqualTo("completed");

    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.SUCCEEDED, "synced", null));
    h.engine.getTaskService().complete(task(pi).getId(), Map.of(RunVariables.SYNC_DECISION, Decisions.RETRY));
    h.runJobs(10);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(SyncAppIds.END_APP_SYNCED);
  }

  @Test
  void aSyncThatNeverEndsReachesAPersonAtTheDeadline() {
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.RUNNING, "operation on love is Running: waiting for completion", null));
    ProcessInstance pi = syncApp("love");

    h.runJobs(20); // ten polls: still within the 20 minutes
    assertThat(task(pi)).isNull();
    assertThat(pi).isWaitingAt(SyncAppIds.TIMER_APP_SYNC_POLL);

    ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofMinutes(21))));
    h.runJobs(2);

    Task t = task(pi);
    assertThat(t).isNotNull();
    assertThat(t.getTaskDefinitionKey()).isEqualTo(SyncAppIds.HANDLE_SYNC_FAILURE);
    assertThat((String) h.engine.getRuntimeService().getVariable(pi.getId(), RunVariables.SYNC_FAILURE_TEXT))
        .contains("sync of love").contains("did not finish within 20m (PT20M)")
        .contains("last seen: operation on love is Running");

    // a retry gets a new deadline and, this time, the sync ends
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.SUCCEEDED, "synced", null));
    h.engine.getTaskService().complete(t.getId(), Map.of(RunVariables.SYNC_DECISION, Decisions.RETRY));
    h.runJobs(10);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(SyncAppIds.END_APP_SYNCED);
    verify(h.argo, times(2)).sync("tts", "love");
  }

  @Test
  void anOperationAlreadyInProgressIsWaitedForThenTheAppIsSyncedAgain() {
    Instant uiSync = Instant.now().minus(Duration.ofMinutes(3));
    when(h.argo.sync("tts", "obssys")).thenReturn(ArgoCd.SyncStart.ALREADY_RUNNING, ArgoCd.SyncStart.STARTED);
    when(h.argo.app("tts", "obssys")).thenReturn(app("obssys", "Running", uiSync), app("obssys", "Running", uiSync),
        app("obssys", "Running", uiSync), app("obssys", "Succeeded", uiSync));
    ProcessInstance pi = syncApp("obssys");

    h.runJobs(20);

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(SyncAppIds.END_APP_SYNCED);
    var order = inOrder(h.argo);
    order.verify(h.argo).sync("tts", "obssys");
    order.verify(h.argo, times(4)).app("tts", "obssys");
    order.verify(h.argo).sync("tts", "obssys");
    order.verify(h.argo).progress(eq("tts"), eq("obssys"), any());
    // the operation of someone else is never taken for this step's own
    verify(h.argo, never()).progress(anyString(), anyString(), eq(uiSync));
  }

  @Test
  void anOperationInProgressThatOutlastsTheDeadlineReachesAPerson() {
    Instant uiSync = Instant.now().minus(Duration.ofMinutes(3));
    when(h.argo.sync("tts", "obssys")).thenReturn(ArgoCd.SyncStart.ALREADY_RUNNING);
    when(h.argo.app("tts", "obssys")).thenReturn(app("obssys", "Running", uiSync));
    ProcessInstance pi = syncApp("obssys");
    h.runJobs(6);

    ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofMinutes(21))));
    h.runJobs(2);

    assertThat(task(pi).getTaskDefinitionKey()).isEqualTo(SyncAppIds.HANDLE_SYNC_FAILURE);
    assertThat((String) h.engine.getRuntimeService().getVariable(pi.getId(), RunVariables.SYNC_FAILURE_TEXT))
        .contains("sync of obssys did not finish within 20m").contains("started at " + uiSync)
        .contains("not by this step");
  }

  /**
   * The real client against the twin's Argo CD: a slow sync started by a direct call, running for
   * more than the 5 s of clock skew allowance when the process starts, is waited for; then the
   * process syncs again and ends only after its own operation succeeded.
   */
  @Test
  void anOperationStartedWellBeforeIsWaitedForOnTheTwin() throws Exception {
    try (var twin = new TwinArgoCdFixture(Duration.ofSeconds(8))) {
      doAnswer(inv -> twin.argo.sync(inv.getArgument(0), inv.getArgument(1))).when(h.argo).sync(anyString(), anyString());
      doAnswer(inv -> twin.argo.app(inv.getArgument(0), inv.getArgument(1))).when(h.argo).app(anyString(), anyString());
      doAnswer(inv -> twin.argo.progress(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2)))
          .when(h.argo).progress(anyString(), anyString(), any());
      assertThat(twin.argo.sync("tts", "obssys")).isEqualTo(ArgoCd.SyncStart.STARTED);
      Instant direct = twin.argo.app("tts", "obssys").operationStartedAt();
      // Argo CD's own stamp, not the test's clock, must be well in the past
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> Instant.now().isAfter(direct.plusSeconds(6)));
      assertThat(twin.twin.phase("tts", "obssys")).isEqualTo("Running");

      ProcessInstance pi = syncApp("obssys");
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
        h.runJobs(2);
        return h.engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(pi.getId()).count() == 0;
      });

      assertThat(pi).hasPassed(SyncAppIds.END_APP_SYNCED);
      List<ActionLog.Action> obssys = twin.actions.actions("tts").stream()
          .filter(a -> a.system().equals("argocd") && a.target().equals("tts/obssys")).toList();
      assertThat(obssys).extracting(ActionLog.Action::action).containsSubsequence("sync", "sync-refused", "sync");
      List<ActionLog.Action> syncs = obssys.stream().filter(a -> a.action().equals("sync")).toList();
      assertThat(syncs).hasSize(2).allSatisfy(s -> assertThat(s.end()).isNotNull());
      assertThat(syncs.get(1).start()).isAfterOrEqualTo(syncs.get(0).end());
      assertThat(twin.twin.phase("tts", "obssys")).isEqualTo("Succeeded");
    }
  }
}
