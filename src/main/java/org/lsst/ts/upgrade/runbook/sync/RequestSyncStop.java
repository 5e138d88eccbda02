package org.lsst.ts.upgrade.runbook.sync;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.springframework.stereotype.Component;

/**
 * A person chose to stop waiting for a slow sync: records who on the instance; the next check ends
 * the wait as a failure ({@link CheckAppSync}), so the sync's failure task (retry, skip, abort) follows.
 */
@Component
@LocalStep
public class RequestSyncStop implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    var auth = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    execution.getProcessInstance().setVariable(SYNC_STOP_REQUESTED_BY,
        auth == null || auth.getUserId() == null ? "a person" : auth.getUserId());
  }
}
