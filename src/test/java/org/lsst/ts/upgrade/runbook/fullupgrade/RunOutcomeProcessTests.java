package org.lsst.ts.upgrade.runbook.fullupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.sync.SyncAppIds;

/**
 * How a run ended, kept on the run by the engine (AbortRecorder): COMPLETED, CANCELLED, or ABORTED
 * with who aborted it, at which step and why, also in the abort notice.
 */
class RunOutcomeProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private Map<String, Object> runVariables(ProcessInstance pi) {
    Map<String, Object> vars = new HashMap<>();
    h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).list()
        .forEach(v -> vars.put(v.getName(), v.getValue()));
    return vars;
  }

  @Test
  void anAbortInAStageRecordsWhoAbortedWhereAndWhyOnTheRunAndTheNoticeSaysSo() {
    h.siteUp("tts");
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.FAILED, "ImagePullBackOff", null));
    ProcessInstance pi = h.start("tts", false);
    assertThat(runVariables(pi)).containsEntry(RunVariables.RUN_OUTCOME, "RUNNING");
    var task = h.driveUntilTask(SyncAppIds.HANDLE_SYNC_FAILURE, Map.of());
    // the operator completes the decision as Tasklist does: authenticated, with a reason
    h.engine.getIdentityService().setAuthenticatedUserId("jdoe");
    try {
      h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.SYNC_DECISION, Decisions.ABORT,
          RunVariables.ABORT_REASON, "the love image is missing from the registry"));
    } finally {
      h.engine.getIdentityService().clearAuthentication();
    }
    h.drive(Map.of());

    assertThat(pi).isEnded();
    Map<String, Object> vars = runVariables(pi);
    assertThat(vars).containsEntry(RunVariables.RUN_OUTCOME, "ABORTED")
        .containsEntry(RunVariables.ABORTED_BY, "jdoe")
        .containsEntry(RunVariables.ABORT_REASON, "the love image is missing from the registry");
    assertThat((String) vars.get(RunVariables.ABORT_STEP)).contains(task.getName()).endsWith("(sync-app)");
    verify(h.notifier).post(eq("tts"), any(), argThat(t -> t.contains("was aborted by jdoe at \"" + task.getName())
        && t.contains("the love image is missing from the registry")));
  }

  @Test
  void anAbortWithoutAReasonSaysSo() {
    h.siteUp("tts");
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.FAILED, "ImagePullBackOff", null));
    ProcessInstance pi = h.start("tts", false);
    h.drive(Map.of(SyncAppIds.HANDLE_SYNC_FAILURE, Map.of(RunVariables.SYNC_DECISION, Decisions.ABORT)));
    assertThat(runVariables(pi)).containsEntry(RunVariables.RUN_OUTCOME, "ABORTED")
        .containsEntry(RunVariables.ABORT_REASON, "no reason given");
  }

  @Test
  void aRunThatEndsNormallyIsCompletedAndOneDeletedFromCockpitIsCancelled() {
    h.siteUp("tts");
    ProcessInstance done = h.start("tts", false);
    h.drive(Map.of());
    assertThat(done).isEnded();
    assertThat(runVariables(done)).containsEntry(RunVariables.RUN_OUTCOME, "COMPLETED").doesNotContainKey(RunVariables.ABORTED_BY);

    ProcessInstance cancelled = h.start("tts", false);
    // as Cockpit and the REST API delete it: externally terminated
    h.engine.getRuntimeService().deleteProcessInstance(cancelled.getId(), "cancelled from Cockpit", true, true);
    assertThat(runVariables(cancelled)).containsEntry(RunVariables.RUN_OUTCOME, "CANCELLED");
  }
}
