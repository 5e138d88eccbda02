package org.lsst.ts.upgrade.runbook.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;

/**
 * Engine-level tests of {@code await-csc-states} with {@code awaitEndWhenKnownAlive}: the wait ends
 * as soon as a CSC that ignores OFFLINE is heard beating a second after the wait began, not at its
 * deadline; a CSC gone silent without saying OFFLINE is not taken for alive. The poll timer is two
 * years here (the harness never runs it): the monitor's message is what ends the wait.
 */
class AwaitCscStatesProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  static final CscId ATMCS = CscId.parse("ATMCS");
  static final CscId ATPTG = CscId.parse("ATPtg");

  @AfterEach
  void realClock() {
    ClockUtil.reset();
  }

  private ProcessInstance await(boolean endWhenKnownAlive) {
    return h.engine.getRuntimeService().startProcessInstanceByKey(AwaitCscStatesIds.KEY, Map.of(
        RunVariables.SITE, "summit", RunVariables.RUN_ID, "summit-await-" + System.nanoTime(),
        RunVariables.POLL_INTERVAL, "P2Y", RunVariables.AWAIT_TIMEOUT, "PT10M",
        RunVariables.AWAIT_EXPECTATIONS, List.of("ATMCS=OFFLINE"),
        RunVariables.AWAIT_END_WHEN_KNOWN_ALIVE, endWhenKnownAlive));
  }

  /** What the monitor's wake-up does when it sees the expectation (or the proof) hold. */
  private void monitorWakes(ProcessInstance pi) {
    h.engine.getRuntimeService().createMessageCorrelation(AwaitCscStatesIds.MESSAGE_CSC_STATES_SEEN)
        .processInstanceId(pi.getId()).correlateAll();
    h.runJobs(20);
  }

  private void later(Duration d) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + d.toMillis()));
  }

  @Test
  void aCscHeardBeatingASecondAfterTheWaitBeganEndsItAsKnownAlive() {
    ClockUtil.setCurrentTime(new Date());
    h.states.put(ATMCS, SummaryState.STANDBY); // ignores OFFLINE: reports STANDBY, heartbeat 300 ms old
    ProcessInstance pi = await(true);
    h.runJobs(20);
    // a heartbeat 300 ms old right after the start may predate the CSC's exit: no proof yet
    assertThat(h.ended(pi)).isFalse();

    later(Duration.ofSeconds(2));
    monitorWakes(pi);

    assertThat(h.ended(pi)).isTrue();
    assertThat(h.historicVariable(pi, RunVariables.AWAIT_KNOWN_ALIVE)).isEqualTo(true);
    assertThat(h.historicVariable(pi, RunVariables.AWAIT_SATISFIED)).isEqualTo(false);
    assertThat(h.historicVariable(pi, RunVariables.AWAIT_TIMED_OUT)).isEqualTo(false);
    assertThat((List<?>) h.historicVariable(pi, RunVariables.AWAIT_LAGGARDS)).singleElement().asString()
        .startsWith("ATMCS (expected OFFLINE): reported STANDBY");
  }

  @Test
  void aSilentCscIsNotProvenAliveAndWithoutTheOptionTheWaitGoesOn() {
    ClockUtil.setCurrentTime(new Date());
    h.states.put(ATMCS, SummaryState.STANDBY);
    ProcessInstance plain = await(false);
    h.runJobs(20);
    later(Duration.ofSeconds(2));
    monitorWakes(plain);
    assertThat(h.ended(plain)).as("without awaitEndWhenKnownAlive only the states or the deadline end it").isFalse();

    // reports STANDBY but no heartbeat (gone without a word): the heartbeat timeout, not a proof, decides
    h.states.put(ATPTG, SummaryState.STANDBY);
    ProcessInstance silent = h.engine.getRuntimeService().startProcessInstanceByKey(AwaitCscStatesIds.KEY, Map.of(
        RunVariables.SITE, "summit", RunVariables.RUN_ID, "summit-await-" + System.nanoTime(),
        RunVariables.POLL_INTERVAL, "P2Y", RunVariables.AWAIT_TIMEOUT, "PT10M",
        RunVariables.AWAIT_EXPECTATIONS, List.of("ATPtg=OFFLINE"), RunVariables.AWAIT_END_WHEN_KNOWN_ALIVE, true));
    org.mockito.Mockito.doAnswer(inv -> List.of(new org.lsst.ts.upgrade.csc.CscStatus(ATPTG, SummaryState.STANDBY, null,
        SummaryState.STANDBY, java.time.Instant.now()))).when(h.cscStates).statusOf(org.mockito.ArgumentMatchers.anyString(),
        org.mockito.ArgumentMatchers.any());
    h.runJobs(20);
    later(Duration.ofSeconds(2));
    monitorWakes(silent);
    assertThat(h.ended(silent)).isFalse();

    // the deadline still ends the wait
    later(Duration.ofMinutes(11));
    monitorWakes(silent);
    assertThat(h.ended(silent)).isTrue();
    assertThat(h.historicVariable(silent, RunVariables.AWAIT_TIMED_OUT)).isEqualTo(true);
    assertThat(h.historicVariable(silent, RunVariables.AWAIT_KNOWN_ALIVE)).isEqualTo(false);
  }

  @Test
  void withTellTheCallerIsToldOnceAndTheWatchGoesOnUntilTheStatesAreMet() {
    ClockUtil.setCurrentTime(new Date());
    h.engine.getRepositoryService().createDeployment().addModelInstance("caller.bpmn",
        org.camunda.bpm.model.bpmn.Bpmn.createExecutableProcess("caller").camundaHistoryTimeToLive(1)
            .startEvent()
            .callActivity("CallActivity_Await").calledElement(AwaitCscStatesIds.KEY)
            .camundaIn(RunVariables.SITE, RunVariables.SITE).camundaIn(RunVariables.RUN_ID, RunVariables.RUN_ID)
            .camundaIn(RunVariables.POLL_INTERVAL, RunVariables.POLL_INTERVAL)
            .camundaIn(RunVariables.AWAIT_TIMEOUT, RunVariables.AWAIT_TIMEOUT)
            .camundaIn(RunVariables.AWAIT_EXPECTATIONS, RunVariables.AWAIT_EXPECTATIONS)
            .camundaIn(RunVariables.AWAIT_TELL_WHEN_KNOWN_ALIVE, RunVariables.AWAIT_TELL_WHEN_KNOWN_ALIVE)
            .endEvent("EndEvent_Awaited")
            .moveToActivity("CallActivity_Await")
            .boundaryEvent("BoundaryEvent_KnownAlive").cancelActivity(false)
            .message(AwaitCscStatesIds.MESSAGE_CSCS_KNOWN_ALIVE)
            .userTask("UserTask_Ask").endEvent()
            .done()).deploy();
    h.states.put(ATMCS, SummaryState.STANDBY);
    ProcessInstance caller = h.engine.getRuntimeService().startProcessInstanceByKey("caller", Map.of(
        RunVariables.SITE, "summit", RunVariables.RUN_ID, "summit-await-" + System.nanoTime(),
        RunVariables.POLL_INTERVAL, "P2Y", RunVariables.AWAIT_TIMEOUT, "PT10M",
        RunVariables.AWAIT_EXPECTATIONS, List.of("ATMCS=OFFLINE"), RunVariables.AWAIT_TELL_WHEN_KNOWN_ALIVE, true));
    h.runJobs(20);
    ProcessInstance wait = h.engine.getRuntimeService().createProcessInstanceQuery()
        .superProcessInstanceId(caller.getId()).singleResult();
    assertThat(asks(caller)).isZero();

    later(Duration.ofSeconds(2));
    monitorWakes(wait);
    monitorWakes(wait);
    assertThat(asks(caller)).as("told once, however often the monitor wakes the wait").isEqualTo(1);
    assertThat(h.ended(wait)).as("the watch goes on").isFalse();

    h.states.put(ATMCS, SummaryState.OFFLINE);
    monitorWakes(wait);
    assertThat(h.ended(wait)).isTrue();
    assertThat(h.historicVariable(wait, RunVariables.AWAIT_SATISFIED)).isEqualTo(true);
  }

  private long asks(ProcessInstance caller) {
    return h.engine.getTaskService().createTaskQuery().processInstanceId(caller.getId())
        .taskDefinitionKey("UserTask_Ask").count();
  }
}
