package org.lsst.ts.upgrade.runbook;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.springframework.stereotype.Component;

/** One poll of an app's sync: done, still running, or failed (BPMN error {@code SYNC_FAILED} for a person). */
@Component
class CheckAppSync implements JavaDelegate {
  private final ArgoCd argo;

  CheckAppSync(ArgoCd argo) {
    this.argo = argo;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String app = v.string(APP);
    SyncProgress p = argo.progress(v.site(), app, v.date(SYNC_STARTED_AT).toInstant());
    switch (p.state()) {
      case SUCCEEDED -> v.set(SYNC_DONE, true);
      case RUNNING -> v.set(SYNC_DONE, false);
      case FAILED -> {
        String text = "Argo CD sync of " + app + " failed: " + (p.message() == null ? "no message" : p.message());
        v.set(SYNC_FAILURE_TEXT, text);
        throw new BpmnError(FullUpgradeProcess.SYNC_FAILED, text);
      }
    }
  }
}
