package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * {@code run-script}: a person settled a lost script in the "script lost" task: it ran to completion
 * by hand (the step succeeds, with their note) or it counts as failed (the caller's failure handling
 * takes over, as for a script that failed by itself). Either way the run's {@code scriptsLost} says so.
 */
@Component
@LocalStep
public class SettleLostScript implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String who = PrepareScriptAgain.chooser(execution);
    boolean done = "done".equals(v.stringOr(SCRIPT_LOST_DECISION, ""));
    String note = v.stringOr(SCRIPT_LOST_NOTE, "").replaceAll("\\s+", " ").trim();
    String lost = v.stringOr(SCRIPT_LOST_TEXT, v.string(SCRIPT_PATH) + " was lost by its queue");
    String message = done
        ? lost + " " + who + " says it ran to completion by hand" + (note.isEmpty() ? "." : ": " + note)
        : lost + " " + who + " chose to count it as failed" + (note.isEmpty() ? "." : ": " + note);
    v.set(SCRIPT_DONE, true).set(SCRIPT_SUCCEEDED, done).set(SCRIPT_MESSAGE, message);
    v.run().appendLine(SCRIPTS_LOST, message);
    if (!done) {
      v.run().appendLine(SCRIPT_FAILURES, message);
    }
  }
}
