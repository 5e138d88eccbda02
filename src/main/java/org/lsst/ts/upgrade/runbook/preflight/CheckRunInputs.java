package org.lsst.ts.upgrade.runbook.preflight;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.springframework.stereotype.Component;

/**
 * First step of the preflight, in the start's transaction: the run's own plan steps dry-run on its
 * start variables (the site file only), so inputs the run cannot take refuse the start at once, as
 * they did when the plan step came first. Writes nothing.
 */
@Component
@LocalStep
public class CheckRunInputs implements JavaDelegate {
  private final RunPlanBuilder plans;

  public CheckRunInputs(RunPlanBuilder plans) {
    this.plans = plans;
  }

  @Override
  public void execute(DelegateExecution execution) {
    ExecutionEntity run = CheckAccess.runOf(execution);
    if (run.getSuperExecution() == null) {
      plans.scope(run.getProcessDefinition().getKey(), execution.getVariables());
    }
  }
}
