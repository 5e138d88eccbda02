package org.lsst.ts.upgrade.runbook.monitor;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscProperties;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.stereotype.Component;

/**
 * One poll of {@code await-csc-states}: compares the effective states with
 * {@code awaitExpectations} ("Name[:index]=STATE[|STATE]") and sets {@code awaitSatisfied},
 * {@code awaitTimedOut} (the deadline is fixed at the first poll), {@code awaitFaulted} (with
 * {@code awaitStopOnFault}: a CSC in FAULT ends the wait at once) and the laggards with their
 * reported state and heartbeat age. A CSC never heard once the history is read counts as OFFLINE,
 * unless the monitor is blind ({@link CscStates#blindness}): then nothing is satisfied and the
 * laggards' text starts with why.
 *
 * <p>With {@code awaitEndWhenKnownAlive} the wait also ends ({@code awaitKnownAlive}) as soon as
 * every laggard is proven alive: a heartbeat that arrived at least {@link #ALIVE_PROOF} after the
 * wait began. A CSC that obeys OFFLINE publishes it and exits before the script that asked for it
 * ends; one still beating a heartbeat period later ignored the request, and the run retries it or
 * asks a person at once instead of waiting out the heartbeat timeout. A CSC that went silent
 * without saying OFFLINE is not proven alive: it is waited for until the heartbeat timeout makes it
 * OFFLINE, or the deadline. With {@code awaitTellWhenKnownAlive} the wait goes on instead and tells
 * its caller once (message {@code CscsKnownAlive}), which asks a person at once.
 */
@Component
public class CheckCscStates implements JavaDelegate {
  private final CscStates states;
  private final java.util.function.Supplier<Duration> heartbeatTimeout;
  private final CscWaitWaker waker;

  public CheckCscStates(CscStates states, org.springframework.beans.factory.ObjectProvider<CscProperties> csc,
      CscWaitWaker waker) {
    this.states = states;
    this.waker = waker;
    this.heartbeatTimeout = () -> {
      CscProperties p = csc.getIfAvailable();
      return p == null ? CscProperties.defaults().heartbeatTimeout() : p.heartbeatTimeout();
    };
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String site = v.site();
    Instant now = ClockUtil.getCurrentTime().toInstant(); // the engine's clock, as its timers
    if (!v.has(AWAIT_DEADLINE)) {
      Duration timeout = Duration.parse(v.stringOr(AWAIT_TIMEOUT, "PT10M"));
      v.set(AWAIT_DEADLINE, java.util.Date.from(now.plus(timeout))).set(AWAIT_STARTED_AT, java.util.Date.from(now));
    }
    // a heartbeat arriving after this proves a CSC alive (null: the wait neither ends nor tells on it)
    boolean end = v.flag(AWAIT_END_WHEN_KNOWN_ALIVE);
    boolean tell = v.flag(AWAIT_TELL_WHEN_KNOWN_ALIVE) && !v.flag(AWAIT_TOLD_KNOWN_ALIVE);
    Instant aliveAfter = (end || tell) && v.has(AWAIT_STARTED_AT)
        ? v.date(AWAIT_STARTED_AT).toInstant().plus(ALIVE_PROOF) : null;
    Map<CscId, Expected> expected = parse(v.list(AWAIT_EXPECTATIONS));
    Evaluation e = evaluate(site, expected, aliveAfter);
    boolean satisfied = e.satisfied();
    boolean faulted = e.faulted();
    Instant deadline = v.date(AWAIT_DEADLINE).toInstant();
    boolean timedOut = !satisfied && now.isAfter(deadline);
    boolean provenAlive = !satisfied && aliveAfter != null && e.allProvenAlive();
    boolean knownAlive = end && provenAlive;
    if (tell && provenAlive && !timedOut) {
      tellCaller(execution);
      v.set(AWAIT_TOLD_KNOWN_ALIVE, true);
      aliveAfter = end ? aliveAfter : null; // told once: from now on only the states end the wait
    }
    final Instant proofAfter = aliveAfter;
    if (!satisfied && !timedOut && !knownAlive && !(faulted && v.flag(AWAIT_STOP_ON_FAULT))) {
      // the monitor ends the wait when it sees the states (the same test as here), not the next poll
      waker.wakeWhenMet(execution.getProcessInstanceId(), site, List.copyOf(expected.keySet()),
          status -> {
            Expected x = expected.get(status.id());
            if (x == null) {
              return true;
            }
            var nowBlind = states.blindness(site);
            boolean nowSeeing = states.historyRead(site) && (nowBlind == null || nowBlind.isEmpty());
            return nowSeeing && (meets(x, status, effective(status, nowSeeing)) || provenAlive(status, proofAfter));
          }, Duration.between(now, deadline));
    }
    v.set(AWAIT_SATISFIED, satisfied).set(AWAIT_TIMED_OUT, timedOut).set(AWAIT_KNOWN_ALIVE, knownAlive)
        .set(AWAIT_FAULTED, faulted && v.flag(AWAIT_STOP_ON_FAULT)).set(AWAIT_LAGGARDS, e.laggards())
        .set(AWAIT_LAGGARDS_TEXT, e.laggardsText());
  }

  /** Tells the calling process, in this transaction, that every laggard is proven alive. */
  private static void tellCaller(DelegateExecution execution) {
    var caller = ((org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity) execution).getProcessInstance()
        .getSuperExecution();
    if (caller == null) {
      return; // started on its own: no one to tell
    }
    execution.getProcessEngineServices().getRuntimeService()
        .createMessageCorrelation(AwaitCscStatesIds.MESSAGE_CSCS_KNOWN_ALIVE)
        .processInstanceId(caller.getProcessInstanceId()).correlateAll();
  }

  /**
   * The expectations against the live states, now: met (the monitor sees the site and every
   * expectation holds), a CSC in FAULT among the laggards, and the laggards (with why, when blind).
   */
  public record Evaluation(boolean satisfied, boolean faulted, List<String> laggards, String laggardsText,
      boolean allProvenAlive) {}

  /** {@link Evaluation} of expectations ("Name[:index]=STATE[|STATE]") at a site, now. */
  public Evaluation evaluate(String site, List<String> expectations) {
    return evaluate(site, parse(expectations), null);
  }

  private Evaluation evaluate(String site, Map<CscId, Expected> expected, Instant aliveAfter) {
    boolean historyRead = states.historyRead(site);
    // blind: nothing heard is no proof of OFFLINE (a Kafka outage), so nothing counts as OFFLINE
    java.util.Optional<String> blind = states.blindness(site);
    boolean isBlind = blind != null && blind.isPresent();
    boolean seeing = historyRead && !isBlind;
    List<CscStatus> statuses = states.statusOf(site, List.copyOf(expected.keySet()));
    List<String> laggards = new ArrayList<>();
    boolean faulted = false;
    boolean allProvenAlive = aliveAfter != null && seeing;
    for (var e : expected.entrySet()) {
      CscStatus s = statuses.stream().filter(x -> x.id().equals(e.getKey())).findFirst().orElse(null);
      // blind: what the statuses last said is stale, whatever it was (the monitor says UNKNOWN too)
      SummaryState effective = isBlind ? SummaryState.UNKNOWN : effective(s, seeing);
      if (!meets(e.getValue(), s, effective)) {
        faulted |= effective == SummaryState.FAULT;
        allProvenAlive &= provenAlive(s, aliveAfter);
        laggards.add(e.getKey() + " (expected " + (e.getValue().alive() ? "alive, " : "") + e.getValue().stream()
            .map(Enum::name).collect(Collectors.joining(" or ")) + "): " + describe(s));
      }
    }
    String text = (isBlind ? "The CSC monitor is blind: " + blind.get() + "\n" : "")
        + laggards.stream().map(l -> "- " + l).collect(Collectors.joining("\n"));
    return new Evaluation(seeing && laggards.isEmpty(), faulted, laggards, text, allProvenAlive && !laggards.isEmpty());
  }

  /**
   * How long after the wait began a heartbeat proves the CSC ignored the request: one heartbeat period
   * (a CSC beats every second, integration contracts), so a beat sent before the CSC would have
   * exited and delivered late by Kafka is not taken for one sent after.
   */
  static final Duration ALIVE_PROOF = Duration.ofSeconds(1);

  /** Heard beating after {@code aliveAfter} (the engine's clock, as the wait's start). */
  private static boolean provenAlive(CscStatus s, Instant aliveAfter) {
    if (aliveAfter == null || s == null || s.heartbeatAge() == null) {
      return false;
    }
    Instant heard = ClockUtil.getCurrentTime().toInstant().minus(s.heartbeatAge());
    return !heard.isBefore(aliveAfter);
  }

  private boolean meets(Expected expected, CscStatus s, SummaryState effective) {
    return expected.contains(effective) && (!expected.alive() || alive(s));
  }

  /** Heartbeating now: a heartbeat newer than the monitor's heartbeat timeout. */
  private boolean alive(CscStatus s) {
    return s != null && s.heartbeatAge() != null && s.heartbeatAge().compareTo(heartbeatTimeout.get()) <= 0;
  }

  static SummaryState effective(CscStatus s, boolean historyRead) {
    if (s == null || s.effectiveState() == null || s.effectiveState() == SummaryState.UNKNOWN) {
      // never heard once the history is read: no process, no heartbeat
      return historyRead && (s == null || s.heartbeatAge() == null) ? SummaryState.OFFLINE : SummaryState.UNKNOWN;
    }
    return s.effectiveState();
  }

  public static String describe(CscStatus s) {
    if (s == null) {
      return "never heard";
    }
    String beat = s.heartbeatAge() == null ? "no heartbeat seen"
        : "last heartbeat " + String.format("%.1f", s.heartbeatAge().toMillis() / 1000.0) + " s ago";
    return "reported " + s.reportedState() + ", effective " + s.effectiveState() + ", " + beat;
  }

  /**
   * The token that makes an expectation require a live process ({@code ATCamera=ALIVE|OFFLINE|STANDBY}):
   * a heartbeat newer than the monitor's heartbeat timeout, and then one of the states. Without it,
   * OFFLINE is also met by a CSC that is gone (no heartbeat); a camera bridge must be up in
   * OFFLINE_AVAILABLE (reported OFFLINE, heartbeating) or STANDBY.
   */
  public static final String ALIVE = "ALIVE";

  /** What one expectation asks: the allowed effective states, and whether the CSC must be heartbeating. */
  record Expected(Set<SummaryState> states, boolean alive) {
    boolean contains(SummaryState s) {
      return states.contains(s);
    }

    java.util.stream.Stream<SummaryState> stream() {
      return states.stream();
    }
  }

  static Map<CscId, Expected> parse(List<String> expectations) {
    Map<CscId, Expected> out = new LinkedHashMap<>();
    for (String e : expectations) {
      int eq = e.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expectation '" + e + "' is not Name[:index]=[ALIVE|]STATE[|STATE]");
      }
      List<String> tokens = Arrays.asList(e.substring(eq + 1).split("\\|"));
      boolean alive = tokens.contains(ALIVE);
      Set<SummaryState> allowed = tokens.stream().filter(t -> !t.equals(ALIVE)).map(SummaryState::parse)
          .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
      out.put(CscId.parse(e.substring(0, eq)), new Expected(allowed, alive));
    }
    return out;
  }
}
