package org.lsst.ts.upgrade.runbook.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.engine.RunDoor;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A wait of {@code await-csc-states} ends when the CSC monitor sees the states (the twin's CSC
 * goes OFFLINE on Kafka), not at the next poll: the poll interval here is ten minutes, so only the
 * monitor's wake-up can end it within the minute the test gives it.
 */
@RehearsalTest
class CscWaitRehearsalTests {
  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired TwinCscs twinCscs;
  @Autowired TwinReset reset;
  @Autowired CscWaitWaker waker;

  @AfterEach
  void resetSite() {
    reset.reset("tts");
  }

  @Test
  void theMonitorEndsTheWaitWhenItSeesTheStatesNotThePollInterval() {
    Map<String, Object> vars = new java.util.HashMap<>();
    vars.put(RunVariables.SITE, "tts");
    vars.put(RunVariables.RUN_ID, "tts-await-test");
    vars.put(RunVariables.AWAIT_EXPECTATIONS, new ArrayList<>(List.of("ATDome=OFFLINE")));
    vars.put(RunVariables.AWAIT_TIMEOUT, "PT5M");
    vars.put(RunVariables.POLL_INTERVAL, "PT10M");
    String pid = RunDoor.through(() -> runtime.startProcessInstanceByKey(AwaitCscStatesIds.KEY, "tts-await-test",
        vars).getId());
    // the first check (an async job) finds ATDome ENABLED and waits at the gateway, with a wake-up registered
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() ->
        runtime.createEventSubscriptionQuery().processInstanceId(pid)
            .eventName(AwaitCscStatesIds.MESSAGE_CSC_STATES_SEEN).count() == 1 && waker.registered() > 0);
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count()).isZero();

    twinCscs.transitionTo("tts", CscId.parse("ATDome"), SummaryState.OFFLINE);

    await("the wait ends well before its 10-minute poll").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100)).until(() ->
            history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid)
        .variableName(RunVariables.AWAIT_SATISFIED).singleResult().getValue()).isEqualTo(true);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(AwaitCscStatesIds.MESSAGE_EVENT_CSC_STATES_SEEN).finished().count()).isEqualTo(1);
  }
}
