package org.lsst.ts.upgrade.runbook.scripts;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.springframework.stereotype.Component;

/**
 * One poll of a script's outcome. A failed script leaves its queue paused: it is resumed here, and
 * the failure is an outcome for the caller ({@code scriptSucceeded=false}), not an incident. A
 * script still running after {@code upgrade.runbook.scripts.timeout} is a failure too, and is
 * stopped ({@link HungScripts}), so a hung script never stalls a run or its queue.
 */
@Component
public class CheckScript implements JavaDelegate {
  private final Love love;
  private final RunScriptsSettings settings;

  public CheckScript(Love love, RunScriptsSettings settings) {
    this.love = love;
    this.settings = settings;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    int queue = v.integer(SCRIPT_QUEUE, 1);
    int index = v.integer(SCRIPT_INDEX, -1);
    var outcome = love.outcome(v.site(), queue, index);
    if (outcome.isEmpty() && v.has(SCRIPT_STOP_REQUESTED_BY)) {
      // a person chose "stop it" in the "script overdue" task
      String stop = HungScripts.stop(love, v.site(), queue, index);
      v.set(SCRIPT_DONE, true).set(SCRIPT_SUCCEEDED, false).set(SCRIPT_MESSAGE, v.string(SCRIPT_PATH) + " (script "
          + index + " on ScriptQueue:" + queue + ") ran longer than usual and " + v.string(SCRIPT_STOP_REQUESTED_BY)
          + " chose to stop it; " + stop);
      v.run().appendLine(SCRIPT_FAILURES, v.string(SCRIPT_MESSAGE));
      return;
    }
    if (outcome.isEmpty()) {
      Duration timeout = settings.properties().timeout();
      if (HungScripts.timedOut(v.date(SCRIPT_ADDED_AT), timeout)) {
        // stopped, or whatever the caller queues next would wait behind it
        String stop = HungScripts.stop(love, v.site(), queue, index);
        v.set(SCRIPT_DONE, true).set(SCRIPT_SUCCEEDED, false).set(SCRIPT_MESSAGE, v.string(SCRIPT_PATH) + " (script "
            + index + " on ScriptQueue:" + queue + ") did not end within " + timeout + "; " + stop);
        v.run().appendLine(SCRIPT_FAILURES, v.string(SCRIPT_MESSAGE));
        return;
      }
      v.set(SCRIPT_DONE, false);
      return;
    }
    ScriptOutcome o = outcome.get();
    if (!o.success() && o.queuePaused()) {
      love.resumeQueue(v.site(), queue);
    }
    v.set(SCRIPT_DONE, true).set(SCRIPT_SUCCEEDED, o.success()).set(SCRIPT_MESSAGE,
        o.path() + " (script " + o.scriptIndex() + " on ScriptQueue:" + queue + "): " + o.processState() + "/"
            + o.scriptState() + (o.message() == null || o.message().isBlank() ? "" : ": " + o.message()));
    if (!o.success()) {
      // the run goes on after some failures (continue-on-failure lists): the summary and report keep each one
      v.run().appendLine(SCRIPT_FAILURES, v.string(SCRIPT_MESSAGE));
    }
  }
}
