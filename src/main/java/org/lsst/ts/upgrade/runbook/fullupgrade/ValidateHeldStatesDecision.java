package org.lsst.ts.upgrade.runbook.fullupgrade;

import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** Task listener (complete): an override of the held-state check needs a reason; the completion is refused otherwise. */
@Component
public class ValidateHeldStatesDecision implements TaskListener {
  @Override
  public void notify(DelegateTask task) {
    RunVariables v = RunVariables.of(task);
    String decision = v.stringOr(HELD_STATES_DECISION, Decisions.CHECK_AGAIN);
    if (!Decisions.CHECK_AGAIN.equals(decision) && !Decisions.OVERRIDE.equals(decision)
        && !Decisions.ABORT.equals(decision)) {
      throw new IllegalArgumentException(HELD_STATES_DECISION + ": '" + decision
          + "' is not one of checkAgain, override, abort");
    }
    if (Decisions.OVERRIDE.equals(decision) && v.stringOr(HELD_STATES_OVERRIDE_REASON, "").isBlank()) {
      throw new IllegalArgumentException(HELD_STATES_OVERRIDE_REASON
          + ": a reason is required to override the held-state check");
    }
  }
}
