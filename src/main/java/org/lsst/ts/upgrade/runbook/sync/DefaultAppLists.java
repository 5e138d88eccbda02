package org.lsst.ts.upgrade.runbook.sync;

import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** {@code sync-apps-in-order} accepts a missing {@code syncSequence} or {@code syncParallel}: it means none. */
@Component
@LocalStep
public class DefaultAppLists implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    v.set(SYNC_SEQUENCE, v.list(SYNC_SEQUENCE)).set(SYNC_PARALLEL, v.list(SYNC_PARALLEL));
  }
}
