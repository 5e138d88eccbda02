package org.lsst.ts.upgrade.runbook;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.springframework.stereotype.Component;

/**
 * Starts an Argo CD sync of {@code app}. An operation already running is waited for instead. The
 * start time (a little before the call, for clock skew) selects the operation that is polled.
 */
@Component
class StartAppSync implements JavaDelegate {
  private final ArgoCd argo;

  StartAppSync(ArgoCd argo) {
    this.argo = argo;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Instant before = Instant.now().minusSeconds(5);
    argo.sync(v.site(), v.string(APP));
    v.set(SYNC_STARTED_AT, Date.from(before)).set(SYNC_DONE, false);
  }
}
