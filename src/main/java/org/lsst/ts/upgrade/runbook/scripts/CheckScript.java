package org.lsst.ts.upgrade.runbook.scripts;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptWhereabouts;
import org.springframework.stereotype.Component;

/**
 * One poll of a script's outcome. A failed script leaves its queue paused: it is resumed here, and
 * the failure is an outcome for the caller ({@code scriptSucceeded=false}), not an incident. A
 * script still running after {@code upgrade.runbook.scripts.timeout} is a failure too, and is
 * stopped ({@link HungScripts}), so a hung script never stalls a run or its queue.
 *
 * <p>A script its ScriptQueue no longer knows — not waiting, not current, not in the queue's history,
 * as after the queue restarted — for {@code upgrade.runbook.scripts.lost-after-polls} polls in a row
 * is lost ({@code scriptLost}): without this it would look like a running script until the deadline.
 * The process adds it again by itself once if it never started ({@code scriptLostAddAgain}), else a
 * person decides. Only a queue state heard since the add was sent counts: an older one (Kafka down)
 * says nothing.
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
    if (!v.has(SCRIPT_LOST) || v.flag(SCRIPT_LOST)) {
      v.set(SCRIPT_LOST, false); // the process's gateway reads it on every path
    }
    if (outcome.isEmpty() && v.has(SCRIPT_STOP_REQUESTED_BY)) {
      // a person chose "stop it" in the "script overdue" task
      String stop = HungScripts.stop(love, v.site(), queue, index);
      v.set(SCRIPT_DONE, true).set(SCRIPT_SUCCEEDED, false).set(SCRIPT_MESSAGE, v.string(SCRIPT_PATH) + " (script "
          + index + " on ScriptQueue:" + queue + ") ran longer than usual and " + v.string(SCRIPT_STOP_REQUESTED_BY)
          + " chose to stop it; " + stop);
      v.run().appendLine(SCRIPT_FAILURES, v.string(SCRIPT_MESSAGE));
      return;
    }
    if (outcome.isEmpty() && lost(v, queue, index)) {
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

  /** Counts the polls the queue has not known the script; true (and the lost variables set) once it is lost. */
  private boolean lost(RunVariables v, int queue, int index) {
    java.util.Date addedAt = v.date(SCRIPT_ADDED_AT);
    java.util.Date sent = v.has(SCRIPT_ADD_SENT_AT) ? v.date(SCRIPT_ADD_SENT_AT) : addedAt;
    ScriptWhereabouts found = love.whereabouts(v.site(), queue, index, sent == null ? null : sent.toInstant());
    ScriptWhereabouts w = found == null ? ScriptWhereabouts.unknown() : found;
    boolean started = v.flag(SCRIPT_STARTED) || w.started();
    if (started && !v.flag(SCRIPT_STARTED)) {
      v.set(SCRIPT_STARTED, true);
    }
    int absent = v.integer(SCRIPT_ABSENT_POLLS, 0);
    if (w.place() == ScriptWhereabouts.Place.ABSENT) {
      absent++;
    } else if (w.place() != ScriptWhereabouts.Place.UNKNOWN) {
      absent = 0;
    }
    if (absent != v.integer(SCRIPT_ABSENT_POLLS, 0) || !v.has(SCRIPT_ABSENT_POLLS)) {
      v.set(SCRIPT_ABSENT_POLLS, absent);
    }
    if (absent < settings.properties().lostAfterPolls()) {
      return false;
    }
    int again = v.integer(SCRIPT_ADDED_AGAIN, 0);
    boolean addAgain = !started && again == 0;
    String what = "`" + v.string(SCRIPT_PATH) + "` (script " + index + " on ScriptQueue:" + queue + ", added "
        + (addedAt == null ? "earlier" : addedAt.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        + ")";
    String text = what + " is no longer known to its queue: neither waiting, nor running, nor in its history ("
        + absent + " looks in a row; a ScriptQueue that restarted forgets all three). "
        + (started ? "It had started, so it may have done part of its work."
            : again > 0 ? "It had not started; it was already added again " + again + " time(s)."
            : "It had not started.");
    v.set(SCRIPT_DONE, false).set(SCRIPT_LOST, true).set(SCRIPT_LOST_ADD_AGAIN, addAgain).set(SCRIPT_LOST_TEXT, text);
    log.warn("Run {}: {}", v.runId(), text);
    return true;
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CheckScript.class);
}
