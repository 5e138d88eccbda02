package org.lsst.ts.upgrade.runbook.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.sync.SyncAppIds;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * The states the run API answers and filters on: an operator's abort is ABORTED (with who, where
 * and why), not COMPLETED; a normal end COMPLETED; a deletion CANCELLED; a running run ACTIVE.
 */
class RunStatesTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private Runs runs() {
    var e = h.engine;
    return new Runs(e.getRuntimeService(), e.getHistoryService(), e.getTaskService(), e.getIdentityService(),
        e.getAuthorizationService(), e, new RunInputValidator(new Sites(new SiteProperties(null))));
  }

  @Test
  void abortedCompletedCancelledAndActiveRunsAreToldApartAndFiltered() {
    h.siteUp("tts");
    ProcessInstance done = h.start("tts", false);
    h.drive(Map.of());

    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.FAILED, "ImagePullBackOff", null));
    ProcessInstance aborted = h.start("tts", false);
    var task = h.driveUntilTask(SyncAppIds.HANDLE_SYNC_FAILURE, Map.of());
    h.engine.getIdentityService().setAuthenticatedUserId("jdoe");
    try {
      h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.SYNC_DECISION, Decisions.ABORT,
          RunVariables.ABORT_REASON, "image missing"));
    } finally {
      h.engine.getIdentityService().clearAuthentication();
    }
    h.drive(Map.of());

    ProcessInstance cancelled = h.start("tts", false);
    // as Cockpit and the REST API delete it: externally terminated
    h.engine.getRuntimeService().deleteProcessInstance(cancelled.getId(), "cancelled from Cockpit", true, true);
    ProcessInstance active = h.start("tts", false);

    Runs runs = runs();
    RunStatus a = runs.status(aborted.getBusinessKey());
    assertThat(a.state()).isEqualTo("ABORTED");
    assertThat(a.aborted().by()).isEqualTo("jdoe");
    assertThat(a.aborted().reason()).isEqualTo("image missing");
    assertThat(a.aborted().step()).contains(task.getName());
    assertThat(runs.status(done.getBusinessKey()).state()).isEqualTo("COMPLETED");
    assertThat(runs.status(done.getBusinessKey()).aborted()).isNull();
    assertThat(runs.status(cancelled.getBusinessKey()).state()).as(h.engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(cancelled.getId()).singleResult().getState()).isEqualTo("CANCELLED");
    assertThat(runs.status(active.getBusinessKey()).state()).isEqualTo("ACTIVE");

    assertThat(runs.list("tts", "ABORTED", 0, 100)).extracting(RunStatus::runId).containsExactly(aborted.getBusinessKey());
    assertThat(runs.list("tts", "COMPLETED", 0, 100)).extracting(RunStatus::runId).containsExactly(done.getBusinessKey());
    assertThat(runs.list("tts", "CANCELLED", 0, 100)).extracting(RunStatus::runId).containsExactly(cancelled.getBusinessKey());
    assertThat(runs.list("tts", "ACTIVE", 0, 100)).extracting(RunStatus::runId).containsExactly(active.getBusinessKey());
  }
}
