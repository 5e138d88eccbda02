package org.lsst.ts.upgrade.runbook.monitor;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.camunda.bpm.engine.RuntimeService;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.runbook.engine.MessageWakeUps;
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
  private final CscStates states;
  private final ObjectProvider<RuntimeService> runtime;
  private final MessageWakeUps wakeUps = new MessageWakeUps(AwaitCscStatesIds.MESSAGE_CSC_STATES_SEEN,
      "CSC-state wait", "csc-wait-waker");

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
    MessageWakeUps.afterCommit(() -> wakeUps.wakeOn(runtime.getIfAvailable(), processInstanceId,
        () -> states.await(site, ids, met, remaining), CscStates.AwaitResult::satisfied));
  }

  /** Waits registered now (tests). */
  int registered() {
    return wakeUps.registered();
  }
}
