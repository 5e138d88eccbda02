package org.lsst.ts.upgrade.runbook.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.CscId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Ends a wait of {@code await-csc-states} when the CSC monitor sees the states, not at the next
 * poll: after the check's transaction commits (the process then waits at its event gateway), it
 * registers the expectation with {@link CscStates#await}; when the monitor sees it met, message
 * {@value AwaitCscStatesIds#MESSAGE_CSC_STATES_SEEN} is correlated to the waiting instance on a
 * thread of its own (never the monitor's). One registration per waiting instance: a new check
 * replaces the previous one. The registration lives in this node's memory only; the poll-interval
 * timer is the backstop (another node, a restart).
 */
@Component
public class CscWaitWaker {
  private static final Logger log = LoggerFactory.getLogger(CscWaitWaker.class);

  private final CscStates states;
  private final ObjectProvider<RuntimeService> runtime;
  private final Map<String, CompletableFuture<CscStates.AwaitResult>> waits = new ConcurrentHashMap<>();
  private final ExecutorService correlator = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "csc-wait-waker");
    t.setDaemon(true);
    return t;
  });

  public CscWaitWaker(CscStates states, ObjectProvider<RuntimeService> runtime) {
    this.states = states;
    this.runtime = runtime;
  }

  /**
   * Called by a check that found the states not met yet, inside its command: registers once the
   * command's transaction has committed (before that no instance waits for the message).
   */
  void wakeWhenMet(String processInstanceId, String site, List<CscId> ids, Predicate<CscStatus> met,
      Duration remaining) {
    var context = Context.getCommandContext();
    if (context == null) {
      register(processInstanceId, site, ids, met, remaining);
      return;
    }
    context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
        c -> register(processInstanceId, site, ids, met, remaining));
  }

  private void register(String processInstanceId, String site, List<CscId> ids, Predicate<CscStatus> met,
      Duration remaining) {
    CompletableFuture<CscStates.AwaitResult> wait;
    try {
      wait = states.await(site, ids, met, remaining);
    } catch (RuntimeException e) {
      log.debug("No wake-up for {}: the monitor refused the wait ({}); the poll interval ends it", processInstanceId,
          e.getMessage());
      return;
    }
    if (wait == null) {
      return;
    }
    CompletableFuture<CscStates.AwaitResult> previous = waits.put(processInstanceId, wait);
    if (previous != null && previous != wait) {
      previous.cancel(false);
    }
    wait.whenComplete((result, error) -> {
      waits.remove(processInstanceId, wait);
      if (error == null && result != null && result.satisfied()) {
        correlator.execute(() -> correlate(processInstanceId));
      }
    });
  }

  private void correlate(String processInstanceId) {
    RuntimeService rt = runtime.getIfAvailable();
    if (rt == null) {
      return;
    }
    try {
      // none waiting (the timer took it meanwhile, or the instance ended): nothing to do
      rt.createMessageCorrelation(AwaitCscStatesIds.MESSAGE_CSC_STATES_SEEN).processInstanceId(processInstanceId)
          .correlateAll();
    } catch (OptimisticLockingException e) {
      log.debug("Wake-up of {} raced with its poll timer; the timer's check goes on", processInstanceId);
    } catch (RuntimeException e) {
      log.warn("Could not wake the CSC-state wait of process instance {} ({}); its poll interval ends it",
          processInstanceId, e.toString());
    }
  }

  /** Waits registered now (tests). */
  int registered() {
    return waits.size();
  }
}
