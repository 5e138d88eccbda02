package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds.*;

import java.time.Duration;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.springframework.stereotype.Component;

/**
 * One look at the current script's outcome (the process waits on a timer between looks, so no
 * job-executor thread waits). Success moves to the next script. A failure resumes the queue (a
 * failed script pauses it, and the safe-ending scripts must still run); a script still running
 * after the timeout is stopped ({@link HungScripts}), for the same reason. The failure is recorded, and — unless
 * the list continues on failure — ends the list with the BPMN error {@value RunScriptsIds#ERROR_SCRIPT_FAILED}.
 */
@Component
public class RunScriptsCheck implements JavaDelegate {
  private final Love love;
  private final RunScriptsSettings settings;

  public RunScriptsCheck(Love love, RunScriptsSettings settings) {
    this.love = love;
    this.settings = settings;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunScriptsVariables v = new RunScriptsVariables(execution);
    int salIndex = v.currentScript();
    String path = v.currentScriptPath();
    Optional<ScriptOutcome> outcome = love.outcome(v.site(), v.queue(), salIndex);
    if (outcome.isEmpty()) {
      Duration timeout = settings.properties().timeout();
      if (!HungScripts.timedOut(java.util.Date.from(v.scriptAddedAt()), timeout)) {
        execution.setVariable(VAR_SCRIPT_STATE, STATE_RUNNING);
        return;
      }
      // stopped first, or the safe-ending scripts added next would wait behind it on the queue
      failed(execution, v, path, "script " + salIndex + " did not end within " + timeout + "; "
          + HungScripts.stop(love, v.site(), v.queue(), salIndex), false);
      return;
    }
    ScriptOutcome o = outcome.get();
    if (o.success()) {
      v.append(VAR_SCRIPTS_RUN, path);
      next(execution, v);
      return;
    }
    failed(execution, v, path, "script " + salIndex + " ended " + o.processState() + "/" + o.scriptState()
        + (o.message() == null || o.message().isBlank() ? "" : ": " + o.message()), o.queuePaused());
  }

  private void failed(DelegateExecution execution, RunScriptsVariables v, String path, String reason, boolean paused) {
    if (paused) {
      love.resumeQueue(v.site(), v.queue());
    }
    String line = path + " on ScriptQueue:" + v.queue() + " failed: " + reason;
    v.append(VAR_FAILED_SCRIPTS, line);
    if (!v.continueOnFailure()) {
      throw new BpmnError(ERROR_SCRIPT_FAILED, line);
    }
    next(execution, v);
  }

  private static void next(DelegateExecution execution, RunScriptsVariables v) {
    execution.setVariable(VAR_SCRIPT_INDEX, v.scriptIndex() + 1);
    execution.setVariable(VAR_SCRIPT_STATE, STATE_ENDED);
  }
}
