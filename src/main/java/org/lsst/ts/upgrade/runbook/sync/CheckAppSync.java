package org.lsst.ts.upgrade.runbook.sync;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.BpmnErrors;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.Date;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.argocd.ArgoCd.AppStatus;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.springframework.stereotype.Component;

/**
 * One poll of an app's sync: done, still running, or failed (BPMN error {@code SYNC_FAILED} for a
 * person). Still running past {@code syncDeadline} is a failure too. While an operation that was
 * already in progress is awaited, it only watches that operation; once it has ended, whatever its
 * outcome, it syncs again ({@link StartAppSync#start}).
 */
@Component
public class CheckAppSync implements JavaDelegate {
  private final ArgoCd argo;

  public CheckAppSync(ArgoCd argo) {
    this.argo = argo;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String app = v.string(APP);
    v.set(SYNC_DONE, false);
    if (v.has(SYNC_STOP_REQUESTED_BY)) {
      // a person chose "stop waiting" in the "sync overdue" task: the failure task decides (a retry waits anew)
      String who = v.string(SYNC_STOP_REQUESTED_BY);
      execution.removeVariable(SYNC_STOP_REQUESTED_BY);
      fail(v, "Argo CD sync of " + app + " ran longer than usual and " + who + " chose to stop waiting for it; it"
          + " may still be running in Argo CD: look at the app there, then retry, skip or abort");
    }
    if (v.has(SYNC_AWAITED_OPERATION)) {
      AppStatus a = argo.app(v.site(), app);
      if ("Running".equals(a.operationPhase()) || "Terminating".equals(a.operationPhase())) {
        checkDeadline(v, app, "an operation started at " + a.operationStartedAt() + ", not by this step, is still "
            + a.operationPhase() + (a.message() == null ? "" : ": " + a.message()));
        return;
      }
      // ended: its revision or resources may not be this run's, so sync again
      StartAppSync.start(argo, v, app);
      return;
    }
    SyncProgress p = argo.progress(v.site(), app, v.date(SYNC_STARTED_AT).toInstant());
    switch (p.state()) {
      case SUCCEEDED -> v.set(SYNC_DONE, true);
      case RUNNING -> checkDeadline(v, app, p.message());
      case FAILED -> fail(v, "Argo CD sync of " + app + " failed: " + (p.message() == null ? "no message" : p.message()));
    }
  }

  private static void checkDeadline(RunVariables v, String app, String lastSeen) {
    Date deadline = v.date(SYNC_DEADLINE);
    if (deadline != null && ClockUtil.getCurrentTime().after(deadline)) {
      String t = v.stringOr(SYNC_TIMEOUT, null); // ISO-8601 as Duration writes it: PT20M
      fail(v, "Argo CD sync of " + app + " did not finish within "
          + (t == null ? "its timeout" : t.substring(2).toLowerCase(Locale.ROOT) + " (" + t + ")")
          + ", deadline " + deadline.toInstant() + "; last seen: " + (lastSeen == null ? "nothing" : lastSeen));
    }
  }

  private static void fail(RunVariables v, String text) {
    v.set(SYNC_FAILURE_TEXT, text);
    throw new BpmnError(BpmnErrors.SYNC_FAILED, text);
  }
}
