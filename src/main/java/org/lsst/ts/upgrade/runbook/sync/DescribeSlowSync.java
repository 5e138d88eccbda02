package org.lsst.ts.upgrade.runbook.sync;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.Durations;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;

import org.springframework.stereotype.Component;

/**
 * What the "sync overdue" task says (the app, how long it usually takes, the hard deadline), and
 * whether to ask at all: not while the sync's own failure task is open (one question at a time).
 */
@Component
@LocalStep
public class DescribeSlowSync implements JavaDelegate {
  public static final String ASK = "syncOverdueAsk";
  private final SyncSettings settings;

  public DescribeSlowSync(SyncSettings settings) {
    this.settings = settings;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String app = v.string(APP);
    boolean failureOpen = execution.getProcessEngineServices().getTaskService().createTaskQuery()
        .processInstanceId(execution.getProcessInstanceId()).taskDefinitionKey(SyncAppIds.HANDLE_SYNC_FAILURE)
        .count() > 0;
    v.set(ASK, !failureOpen);
    v.set(SYNC_OVERDUE_TEXT, "The Argo CD sync of `" + app + "` has run longer than it usually does ("
        + Durations.human(settings.properties().expectedFor(app)) + ")"
        + (v.has(SYNC_DEADLINE) ? "; it counts as failed at " + v.date(SYNC_DEADLINE).toInstant() : "") + ".");
  }
}
