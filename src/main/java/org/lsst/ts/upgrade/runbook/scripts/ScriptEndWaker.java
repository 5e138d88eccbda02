package org.lsst.ts.upgrade.runbook.scripts;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private static final Logger log = LoggerFactory.getLogger(ScriptEndWaker.class);
  /** Past the script's deadline the poll stops it anyway; a little more, for an end heard just then. */
  static final Duration GRACE = Duration.ofMinutes(1);

  private final Love love;
  private final Map<String, CompletableFuture<ScriptOutcome>> waits = new ConcurrentHashMap<>();
  private final ExecutorService correlator = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "script-end-waker");
    t.setDaemon(true);
    return t;
  });

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
    var context = Context.getCommandContext();
    if (context == null) {
      register(runtime, processInstanceId, site, queue, index, remaining);
      return;
    }
    context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
        c -> register(runtime, processInstanceId, site, queue, index, remaining));
  }

  /** The instance no longer waits for its script (it ended, was stopped, or is lost): drops its registration. */
  void forget(String processInstanceId) {
    CompletableFuture<ScriptOutcome> previous = waits.remove(processInstanceId);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private void register(RuntimeService runtime, String processInstanceId, String site, int queue, int index,
      Duration remaining) {
    CompletableFuture<ScriptOutcome> end;
    try {
      end = love.whenEnded(site, queue, index);
    } catch (RuntimeException e) {
      log.debug("No wake-up for {}: no end to wait for ({}); the poll interval ends it", processInstanceId,
          e.getMessage());
      return;
    }
    if (end == null) {
      return;
    }
    long bound = (remaining.isNegative() ? Duration.ZERO : remaining).plus(GRACE).toMillis();
    // the bound completes it (exceptionally): the event store forgets it then too
    end.orTimeout(bound, TimeUnit.MILLISECONDS);
    CompletableFuture<ScriptOutcome> previous = waits.put(processInstanceId, end);
    if (previous != null && previous != end) {
      previous.cancel(false);
    }
    end.whenComplete((outcome, error) -> {
      waits.remove(processInstanceId, end);
      if (error == null && outcome != null) {
        correlator.execute(() -> correlate(runtime, processInstanceId));
      }
    });
  }

  private void correlate(RuntimeService runtime, String processInstanceId) {
    try {
      // none waiting (the timer took it meanwhile, or the instance ended): nothing to do
      runtime.createMessageCorrelation(RunScriptIds.MESSAGE_SCRIPT_ENDED).processInstanceId(processInstanceId)
          .correlateAll();
    } catch (OptimisticLockingException e) {
      log.debug("Wake-up of {} raced with its poll timer; the timer's check goes on", processInstanceId);
    } catch (RuntimeException e) {
      log.warn("Could not wake the script wait of process instance {} ({}); its poll interval ends it",
          processInstanceId, e.toString());
    }
  }

  /** Waits registered now (tests). */
  int registered() {
    return waits.size();
  }
}
