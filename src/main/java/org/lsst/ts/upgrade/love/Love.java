package org.lsst.ts.upgrade.love;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lsst.ts.upgrade.site.CscId;

/**
 * LOVE-manager: adds scripts to ScriptQueues and sends commands to CSCs. Script outcomes come
 * from the ScriptQueue's {@code logevent_script} events on Kafka. Nothing here blocks on a script.
 */
public interface Love {

  /**
   * Adds a script at the end of {@code ScriptQueue:<queue>} and returns its SAL index. Idempotent
   * per {@link ScriptRequest#tag()}: if a script with that tag was already added (for example after a
   * 504 whose add did go through, even before a restart of the orchestrator), its index is returned
   * and nothing is added. A queue that is not ENABLED is {@link LoveException.QueueNotEnabled}.
   */
  int addScript(String site, int queue, ScriptRequest request);

  /** The outcome of a script if it has ended; empty while it is queued or running. */
  Optional<ScriptOutcome> outcome(String site, int queue, int scriptIndex);

  /**
   * Where the script is on its queue by the queue's latest state heard since {@code since} (when its
   * add was sent): waiting, current, finished, or absent (the queue no longer knows it); unknown when no
   * such state was heard. A twin or client that cannot tell says unknown.
   */
  default ScriptWhereabouts whereabouts(String site, int queue, int scriptIndex, java.time.Instant since) {
    return ScriptWhereabouts.unknown();
  }

  /**
   * Whether the ScriptQueues' events of the site may have been missed since {@code since}: the
   * event stream (the CSC monitor's Kafka consumer) was blind for a while after it and sees again
   * now. An end published meanwhile was lost (the producers give up after their delivery timeout).
   * False while it is blind (an answer would be lost too) and when it cannot tell.
   */
  default boolean eventsMissedSince(String site, java.time.Instant since) {
    return false;
  }

  /**
   * Asks the ScriptQueue to publish again what it knows of a script: its {@code queue} event
   * ({@code showQueue}) and the script's {@code script} event ({@code showScript}), which for a script
   * in its history carries the final states. The answers come as events, like any other. Failures
   * are {@link LoveException}s (a queue that no longer knows the script refuses {@code showScript}).
   */
  default void askScriptState(String site, int queue, int scriptIndex) {}

  /** Completes when the script ends (successfully or not). */
  CompletableFuture<ScriptOutcome> whenDone(String site, int queue, int scriptIndex);

  /**
   * Completes when the script's end is heard (at once if it already was): a future of its own for
   * one waiter, unlike {@link #whenDone}'s shared one. Cancelling it, or its timing out, forgets it,
   * so a waiter that gives up leaves nothing behind. Completed on the event stream's thread: hand
   * any real work to a thread of your own. Null when this client cannot tell (nobody wakes the
   * waiter: its poll does).
   */
  CompletableFuture<ScriptOutcome> whenEnded(String site, int queue, int scriptIndex);

  /** {@code cmd_resume}: a failed script pauses its queue until this is sent. */
  void resumeQueue(String site, int queue);

  /**
   * {@code cmd_stopScripts} for one script (not terminate): a running script is asked to stop and
   * ends with scriptState STOPPED (the queue kills it if it does not stop in time: TERMINATED); a
   * queued one is taken off the queue. Either way the queue goes on with the next script, so what
   * was queued behind a hung script runs. Idempotent: a script that has already ended (or that the
   * queue does not know) is left alone. Failures are {@link LoveException}s, as for any command.
   */
  void stopScript(String site, int queue, int scriptIndex);

  /**
   * Logs in with the site's credentials (a read: nothing is commanded) and says whether LOVE lets
   * that user command the observatory ({@code permissions.execute_commands}). A refused login or an
   * unreachable LOVE is a {@link LoveException}.
   */
  default boolean mayCommand(String site) {
    return true;
  }

  /** Sends a SAL command ({@code cmd_start}, {@code cmd_enable}, ...) to a CSC; returns LOVE's ack. */
  String command(String site, CscId csc, String cmd, Map<String, Object> params);
}
