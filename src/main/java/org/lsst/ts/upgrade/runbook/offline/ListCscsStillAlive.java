package org.lsst.ts.upgrade.runbook.offline;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.monitor.CheckCscStates;
import org.springframework.stereotype.Component;

/**
 * The CSCs still alive now (the live states against {@code offlineExpectations}), for the person
 * asked about them while the watch goes on: {@code awaitLaggards}/{@code awaitLaggardsText}, and
 * {@code stillAlive}; {@code stillAliveAskNow} unless this run's "CSCs still alive" task is open
 * already (the watch's deadline reached while a person has it: one task, not two).
 */
@Component
public class ListCscsStillAlive implements JavaDelegate {
  public static final String STILL_ALIVE = "stillAlive";
  public static final String ASK_NOW = "stillAliveAskNow";

  private final CheckCscStates check;

  public ListCscsStillAlive(CheckCscStates check) {
    this.check = check;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    CheckCscStates.Evaluation e = check.evaluate(v.site(), v.list(OFFLINE_EXPECTATIONS));
    boolean open = execution.getProcessEngineServices().getTaskService().createTaskQuery()
        .processInstanceId(execution.getProcessInstanceId())
        .taskDefinitionKey(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE).count() > 0;
    v.set(AWAIT_LAGGARDS, e.laggards()).set(AWAIT_LAGGARDS_TEXT, e.laggardsText())
        .set(STILL_ALIVE, !e.satisfied()).set(ASK_NOW, !e.satisfied() && !open);
  }
}
