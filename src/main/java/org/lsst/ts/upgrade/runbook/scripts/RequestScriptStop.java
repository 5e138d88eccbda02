package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.springframework.stereotype.Component;

/**
 * A person chose to stop an overdue script: records who, on the run-script instance; its next
 * check stops the script ({@link CheckScript}) and the script counts as failed.
 */
@Component
@LocalStep
public class RequestScriptStop implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    var auth = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    String who = auth == null || auth.getUserId() == null ? "a person" : auth.getUserId();
    // on the instance, where the main path's check reads it (not the event sub-process's scope)
    execution.getProcessInstance().setVariable(SCRIPT_STOP_REQUESTED_BY, who);
  }
}
