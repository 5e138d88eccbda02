package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;
import static org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * {@code run-scripts}: records what {@code run-script} said of the script (in {@code scriptsRun} or
 * {@code failedScripts}) and moves to the next position. Whether a failure ends the list is the
 * process's decision (its gateway), not this step's.
 */
@Component
@LocalStep
public class RecordScriptOutcome implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String path = v.string(SCRIPT_PATH);
    if (v.flag(SCRIPT_SUCCEEDED)) {
      v.appendLine(VAR_SCRIPTS_RUN, path);
    } else {
      String line = path + " on ScriptQueue:" + v.integer(SCRIPT_QUEUE, 1) + " failed: "
          + v.stringOr(SCRIPT_MESSAGE, "no outcome");
      v.appendLine(VAR_FAILED_SCRIPTS, line);
      v.set(VAR_SCRIPT_FAILURE, line);
    }
    v.set(VAR_SCRIPT_POSITION, v.integer(VAR_SCRIPT_POSITION, 0) + 1);
  }
}
