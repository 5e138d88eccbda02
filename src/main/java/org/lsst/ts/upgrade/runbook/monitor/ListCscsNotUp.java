package org.lsst.ts.upgrade.runbook.monitor;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * The CSCs not up as expected now (the live states against {@code monitorExpectations}), for the
 * person asked about them while the monitor goes on watching: {@code awaitLaggards}/
 * {@code awaitLaggardsText}, and {@code cscsNotUp}; {@code cscsNotUpAskNow} unless this run's
 * "CSCs not up" task is open already (the monitor's deadline reached while a person has it: one
 * task, not two).
 */
@Component
public class ListCscsNotUp implements JavaDelegate {
  public static final String NOT_UP = "cscsNotUp";
  public static final String ASK_NOW = "cscsNotUpAskNow";

  private final CheckCscStates check;

  public ListCscsNotUp(CheckCscStates check) {
    this.check = check;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    CheckCscStates.Evaluation e = check.evaluate(v.site(), v.list(MONITOR_EXPECTATIONS));
    boolean open = execution.getProcessEngineServices().getTaskService().createTaskQuery()
        .processInstanceId(execution.getProcessInstanceId())
        .taskDefinitionKey(BringUpAndMonitorIds.CONTINUE_AFTER_MONITOR).count() > 0;
    v.set(AWAIT_LAGGARDS, e.laggards()).set(AWAIT_LAGGARDS_TEXT, e.laggardsText())
        .set(NOT_UP, !e.satisfied()).set(ASK_NOW, !e.satisfied() && !open);
  }
}
