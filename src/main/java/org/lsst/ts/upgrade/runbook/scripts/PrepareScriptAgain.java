package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * {@code run-script}: a script its ScriptQueue lost is added again — by itself once when it never
 * started, or because a person chose so in the "script lost" task. The add gets a tag of its own (the
 * old tag's add is recorded as done: an add under it would answer the lost index), the lost-script
 * bookkeeping starts afresh, and the run's {@code scriptsLost} says what happened.
 */
@Component
@LocalStep
public class PrepareScriptAgain implements JavaDelegate {
  /** A script tag is at most 120 characters (LoveClient). */
  private static final int MAX_TAG = 120;

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    int again = v.integer(SCRIPT_ADDED_AGAIN, 0) + 1;
    String path = v.string(SCRIPT_PATH);
    String base = v.stringOr(SCRIPT_TAG, v.runId() + ":" + path).replaceFirst(":again[0-9]+$", "");
    String tag = base + ":again" + again;
    if (tag.length() > MAX_TAG) {
      tag = tag.substring(tag.length() - MAX_TAG);
    }
    boolean byPerson = "again".equals(execution.getVariable(SCRIPT_LOST_DECISION));
    String who = byPerson ? chooser(execution) : null;
    v.run().appendLine(SCRIPTS_LOST, v.stringOr(SCRIPT_LOST_TEXT, path + " was lost by its queue") + " Added again"
        + (byPerson ? " (" + who + " chose so)" : " by itself (it had never started)") + ".");
    v.set(SCRIPT_TAG, tag).set(SCRIPT_ADDED_AGAIN, again).set(SCRIPT_ABSENT_POLLS, 0).set(SCRIPT_STARTED, false)
        .set(SCRIPT_LOST, false);
    // the next "script lost" task starts undecided, and a stop asked of the lost script is not the new one's
    execution.removeVariable(SCRIPT_LOST_DECISION);
    execution.removeVariable(SCRIPT_LOST_NOTE);
    execution.removeVariable(SCRIPT_STOP_REQUESTED_BY);
  }

  static String chooser(DelegateExecution execution) {
    var auth = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return auth == null || auth.getUserId() == null ? "a person" : auth.getUserId();
  }
}
