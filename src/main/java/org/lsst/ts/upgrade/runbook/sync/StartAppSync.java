package org.lsst.ts.upgrade.runbook.sync;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.argocd.ArgoCdProperties;
import org.springframework.stereotype.Component;

/**
 * Starts an Argo CD sync of {@code app} and fixes its deadline ({@code syncTimeout}, else
 * {@code upgrade.argocd.sync-timeout}; a retry by a person gets a new one). An operation already in
 * progress (a retried job, a sync from the UI) is remembered: {@link CheckAppSync} waits for it to end
 * and then syncs again, so the step means "ensure synced". The start time (a little before the call,
 * for clock skew) selects the operation that is polled.
 */
@Component
public class StartAppSync implements JavaDelegate {
  private final ArgoCd argo;
  private final Duration timeout;

  StartAppSync(ArgoCd argo, ArgoCdProperties properties) {
    this.argo = argo;
    this.timeout = properties.syncTimeout();
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Duration t = v.has(SYNC_TIMEOUT) ? Duration.parse(v.string(SYNC_TIMEOUT)) : timeout;
    // the engine's clock: a deadline of the process, not of Argo CD
    Instant now = ClockUtil.getCurrentTime().toInstant();
    v.set(SYNC_TIMEOUT, t.toString()).set(SYNC_DEADLINE, Date.from(now.plus(t))).set(SYNC_DONE, false);
    start(argo, v, v.string(APP));
  }

  /** Starts a sync; when another operation is in progress, remembers its start to wait for it. */
  static void start(ArgoCd argo, RunVariables v, String app) {
    Instant before = Instant.now().minusSeconds(5);
    v.set(SYNC_ASKED_AT, org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime());
    if (argo.sync(v.site(), app) == ArgoCd.SyncStart.STARTED) {
      v.set(SYNC_STARTED_AT, Date.from(before)).set(SYNC_AWAITED_OPERATION, null);
      return;
    }
    Instant other = argo.app(v.site(), app).operationStartedAt();
    v.set(SYNC_AWAITED_OPERATION, Date.from(other != null ? other : before));
  }
}
