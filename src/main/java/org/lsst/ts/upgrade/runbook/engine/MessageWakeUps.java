package org.lsst.ts.upgrade.runbook.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a wait ends on an event instead of at its next poll: a check that found the thing not done
 * registers, once its transaction has committed (before that no instance waits for the message),
 * a future of the event for its process instance; when it completes as hoped, the message is
 * correlated to the instance on a thread of its own (never the thread that completed it: the
 * Kafka consumer's, the monitor's). One registration per instance: a new one cancels the previous.
 * The registrations live in this node's memory only; the waits' poll timers are the backstop
 * (another node, a restart, a lost event).
 */
public final class MessageWakeUps {
  private static final Logger log = LoggerFactory.getLogger(MessageWakeUps.class);

  private final String message;
  private final String what;
  private final Map<String, CompletableFuture<?>> waits = new ConcurrentHashMap<>();
  private final ExecutorService correlator;

  /**
   * @param message the message the waiting process catches
   * @param what the wait, for the log ("CSC-state wait", "script wait")
   */
  public MessageWakeUps(String message, String what, String threadName) {
    this.message = message;
    this.what = what;
    this.correlator = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code register} after the current command's transaction commits (at once outside a command). */
  public static void afterCommit(Runnable register) {
    var context = Context.getCommandContext();
    if (context == null) {
      register.run();
      return;
    }
    context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, c -> register.run());
  }

  /**
   * Wakes the instance when {@code event} completes with a value {@code wake} accepts. {@code event}
   * may be null or throw (nothing to wait for: the poll ends the wait).
   */
  public <T> void wakeOn(RuntimeService runtime, String processInstanceId, Supplier<CompletableFuture<T>> event,
      Predicate<T> wake) {
    CompletableFuture<T> f;
    try {
      f = event.get();
    } catch (RuntimeException e) {
      log.debug("No wake-up for {}: {} ({}); the poll interval ends it", processInstanceId, what, e.getMessage());
      return;
    }
    if (f == null) {
      return;
    }
    CompletableFuture<?> previous = waits.put(processInstanceId, f);
    if (previous != null && previous != f) {
      previous.cancel(false);
    }
    f.whenComplete((value, error) -> {
      waits.remove(processInstanceId, f);
      if (error == null && value != null && wake.test(value) && runtime != null) {
        correlator.execute(() -> correlate(runtime, processInstanceId));
      }
    });
  }

  /** The instance no longer waits: drops (cancels) its registration. */
  public void forget(String processInstanceId) {
    CompletableFuture<?> previous = waits.remove(processInstanceId);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private void correlate(RuntimeService runtime, String processInstanceId) {
    try {
      // none waiting (the timer took it meanwhile, or the instance ended): nothing to do
      runtime.createMessageCorrelation(message).processInstanceId(processInstanceId).correlateAll();
    } catch (OptimisticLockingException e) {
      log.debug("Wake-up of {} raced with its poll timer; the timer's check goes on", processInstanceId);
    } catch (RuntimeException e) {
      log.warn("Could not wake the {} of process instance {} ({}); its poll interval ends it", what,
          processInstanceId, e.toString());
    }
  }

  /** Waits registered now (tests). */
  public int registered() {
    return waits.size();
  }
}
