package org.lsst.ts.upgrade.runbook.scripts;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.RuntimeService;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.runbook.engine.MessageWakeUps;
import org.springframework.stereotype.Component;

/**
 * Ends a wait of {@code run-script} when the ScriptQueue's event says the script ended, not at the
 * next poll: after the check's transaction commits (the process then waits at its event gateway),
 * it asks {@link Love#whenEnded} for the script's end; when it is heard, message
 * {@value RunScriptIds#MESSAGE_SCRIPT_ENDED} is correlated to the waiting instance on a thread of
 * its own (never the Kafka consumer's), and the check that follows reads the outcome. One
 * registration per waiting instance: a new check replaces (cancels) the previous one, and none
 * outlives the script's deadline. The registration lives in this node's memory only; the
 * poll-interval timer is the backstop (another node, a restart, a lost event).
 */
@Component
public class ScriptEndWaker {
  /** Past the script's deadline the poll stops it anyway; a little more, for an end heard just then. */
  static final Duration GRACE = Duration.ofMinutes(1);

  private final Love love;
  private final MessageWakeUps wakeUps = new MessageWakeUps(RunScriptIds.MESSAGE_SCRIPT_ENDED, "script wait",
      "script-end-waker");

  public ScriptEndWaker(Love love) {
    this.love = love;
  }

  /**
   * Called by a check that found the script not ended yet, inside its command: registers once the
   * command's transaction has committed (before that no instance waits for the message).
   * {@code remaining} is the time to the script's deadline.
   */
  void wakeWhenEnded(RuntimeService runtime, String processInstanceId, String site, int queue, int index,
      Duration remaining) {
    MessageWakeUps.afterCommit(() -> wakeUps.wakeOn(runtime, processInstanceId, () -> {
      CompletableFuture<ScriptOutcome> end = love.whenEnded(site, queue, index);
      if (end != null) {
        // the bound completes it (exceptionally): the event store forgets it then too
        long bound = (remaining.isNegative() ? Duration.ZERO : remaining).plus(GRACE).toMillis();
        end.orTimeout(bound, TimeUnit.MILLISECONDS);
      }
      return end;
    }, outcome -> true));
  }

  /** The instance no longer waits for its script (it ended, was stopped, or is lost): drops its registration. */
  void forget(String processInstanceId) {
    wakeUps.forget(processInstanceId);
  }

  /** Waits registered now (tests). */
  int registered() {
    return wakeUps.registered();
  }
}
