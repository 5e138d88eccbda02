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
 *
 * <p>A script whose end was not heard although it may have ended — the event stream was blind for a
 * while since the add (a Kafka outage: the ScriptQueue's events of that time are lost), or the queue
 * names it in its history with no end heard — is asked about: the queue publishes its queue and the
 * script's state again ({@link Love#askScriptState}), and the next poll has the outcome. A script in
 * the queue's history whose end still is not heard after {@code lost-after-polls} asks and
 * {@code end-unheard-wait} is never
 * taken for a success: it goes to a person as a lost script that ended ("script lost" task, not added
 * again by itself).
 *
 * <p>A script not ended yet is waited for at the process's event gateway: {@link ScriptEndWaker}
 * ends that wait when the ScriptQueue's event says the script ended; the poll interval is the backstop.
 */
@Component
public class CheckScript implements JavaDelegate {
  private final Love love;
  private final RunScriptsSettings settings;
  private final ScriptEndWaker waker;

  public CheckScript(Love love, RunScriptsSettings settings, ScriptEndWaker waker) {
    this.love = love;
    this.settings = settings;
    this.waker = waker;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    check(v);
    if (!v.flag(SCRIPT_DONE) && !v.flag(SCRIPT_LOST)) {
      // the process waits for the script's end event (or the poll interval), from its deadline on no longer
      java.util.Date addedAt = v.date(SCRIPT_ADDED_AT);
      Duration timeout = settings.properties().timeout();
      Duration remaining = addedAt == null ? timeout
          : Duration.between(java.time.Instant.now(), addedAt.toInstant().plus(timeout));
      waker.wakeWhenEnded(execution.getProcessEngineServices().getRuntimeService(), execution.getProcessInstanceId(),
          v.site(), v.integer(SCRIPT_QUEUE, 1), v.integer(SCRIPT_INDEX, -1), remaining);
    } else {
      waker.forget(execution.getProcessInstanceId());
    }
  }

  private void check(RunVariables v) {
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
    if (endUnheard(v, queue, index, w, sent, addedAt)) {
      return true;
    }
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

  /**
   * Asks the queue to publish the script's state again when its end may have been missed; true (and
   * the lost variables set, for a person) once the queue has named it in its history with no end heard
   * for {@code end-unheard-wait}, after at least {@code lost-after-polls} asks.
   */
  private boolean endUnheard(RunVariables v, int queue, int index, ScriptWhereabouts w, java.util.Date sent,
      java.util.Date addedAt) {
    int before = v.integer(SCRIPT_END_UNHEARD_POLLS, 0);
    // the end event and the queue event are on two topics: one poll between them is no sign of loss
    int unheard = w.place() == ScriptWhereabouts.Place.FINISHED ? before + 1 : 0;
    if (unheard != before || !v.has(SCRIPT_END_UNHEARD_POLLS)) {
      v.set(SCRIPT_END_UNHEARD_POLLS, unheard);
    }
    // asked on every look from the second one in its history; a person once it was asked
    // lost-after-polls times and end-unheard-wait has passed (counted in polls)
    int asks = Math.max(0, unheard - 2);
    Duration listed = pollInterval(v).multipliedBy(Math.max(0, unheard - 1));
    if (asks < settings.properties().lostAfterPolls() || listed.compareTo(settings.properties().endUnheardWait()) < 0) {
      java.util.Date asked = v.has(SCRIPT_STATE_ASKED_AT) ? v.date(SCRIPT_STATE_ASKED_AT) : sent;
      boolean missed = love.eventsMissedSince(v.site(), asked == null ? null : asked.toInstant());
      if (missed || unheard >= 2) {
        java.util.Date now = new java.util.Date(); // wall clock, as the monitor's stretch of contact
        try {
          love.askScriptState(v.site(), queue, index);
          log.info("Run {}: asked ScriptQueue:{} for script {} again ({})", v.runId(), queue, index,
              missed ? "its events may have been missed in a Kafka outage" : "in its history, its end not heard");
        } catch (RuntimeException e) {
          // the deadline, the overdue task and the rule below still hold
          log.warn("Run {}: asking ScriptQueue:{} for script {} again failed: {}", v.runId(), queue, index,
              e.getMessage());
        }
        v.set(SCRIPT_STATE_ASKED_AT, now);
      }
      return false;
    }
    String text = "`" + v.string(SCRIPT_PATH) + "` (script " + index + " on ScriptQueue:" + queue + ", added "
        + (addedAt == null ? "earlier" : addedAt.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        + ") has ended — its queue lists it in its history — but how it ended was never heard: its `script` "
        + "events were lost (a Kafka outage?) and the queue, asked " + asks + " times to publish them again, "
        + "did not. It is not counted as a success: look in LOVE how it ended (DONE, or failed or stopped). "
        + "Adding it again would run it a second time.";
    v.set(SCRIPT_DONE, false).set(SCRIPT_LOST, true).set(SCRIPT_LOST_ADD_AGAIN, false).set(SCRIPT_LOST_TEXT, text);
    log.warn("Run {}: {}", v.runId(), text);
    return true;
  }

  private Duration pollInterval(RunVariables v) {
    try {
      return v.has(POLL_INTERVAL) ? Duration.parse(v.string(POLL_INTERVAL)) : settings.properties().pollInterval();
    } catch (java.time.format.DateTimeParseException e) {
      return settings.properties().pollInterval();
    }
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CheckScript.class);
}
