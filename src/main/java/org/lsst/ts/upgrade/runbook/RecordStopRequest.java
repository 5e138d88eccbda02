package org.lsst.ts.upgrade.runbook;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * A person chose to stop a step that runs longer than usual (a script, an Argo CD sync): records who
 * in the variable the step's input parameter {@value #VARIABLE} names, on the process instance,
 * where the main path's next check reads it and ends the step as a failure.
 */
@Component
@LocalStep
public class RecordStopRequest implements JavaDelegate {
  /** The input parameter naming the variable the step's check reads. */
  public static final String VARIABLE = "stopRequestVariable";

  @Override
  public void execute(DelegateExecution execution) {
    String variable = (String) execution.getVariableLocal(VARIABLE);
    var auth = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    // on the instance, not the event sub-process's scope, where the check reads it
    execution.getProcessInstance().setVariable(variable,
        auth == null || auth.getUserId() == null ? "a person" : auth.getUserId());
  }
}
