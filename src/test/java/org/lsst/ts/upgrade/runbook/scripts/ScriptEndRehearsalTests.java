package org.lsst.ts.upgrade.runbook.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.engine.RunDoor;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A wait of {@code run-script} ends when the ScriptQueue's {@code script} event says the script
 * ended (the twin's, on Kafka), not at the next poll: the poll interval here is ten minutes, so only
 * the end event's wake-up ({@link ScriptEndWaker}) can end it within the minute the test gives it.
 */
@RehearsalTest
class ScriptEndRehearsalTests {
  private static final String SITE = "tts";
  private static final String SCRIPT = "set_summary_state.py";

  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired FaultRegistry faults;
  @Autowired TwinReset reset;
  @Autowired Love love;
  @Autowired ScriptEndWaker waker;

  @AfterEach
  void resetSite() {
    reset.reset(SITE);
  }

  @Test
  void theScriptsEndEventEndsTheWaitNotThePollInterval() {
    // the script keeps RUNNING until it is stopped: the first check surely finds it running
    faults.inject(SITE, "love", SCRIPT, "script-hangs", Map.of(), 1);
    String tag = "tts-script-end-event";
    Map<String, Object> vars = new HashMap<>();
    vars.put(RunVariables.SITE, SITE);
    vars.put(RunVariables.RUN_ID, tag);
    vars.put(RunVariables.SCRIPT_QUEUE, 1);
    vars.put(RunVariables.POLL_INTERVAL, "PT10M");
    vars.put(RunVariables.SCRIPT_PATH, SCRIPT);
    vars.put(RunVariables.SCRIPT_CONFIG_JSON, "{\"data\":[[\"Test:42\",\"STANDBY\"]]}");
    vars.put(RunVariables.SCRIPT_TAG, tag);
    String pid = RunDoor.through(() -> runtime.startProcessInstanceByKey(RunScriptIds.KEY, tag, vars).getId());
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() ->
        runtime.createEventSubscriptionQuery().processInstanceId(pid).eventName(RunScriptIds.MESSAGE_SCRIPT_ENDED)
            .count() == 1 && waker.registered() > 0);

    // someone stops it in LOVE: its end (STOPPED) comes as the queue's event
    love.stopScript(SITE, 1, (Integer) runtime.getVariable(pid, RunVariables.SCRIPT_INDEX));

    await("the wait ends well before its 10-minute poll").atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100)).until(() ->
            history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid)
        .variableName(RunVariables.SCRIPT_SUCCEEDED).singleResult().getValue()).isEqualTo(false);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(RunScriptIds.MESSAGE_EVENT_SCRIPT_ENDED).finished().count()).isEqualTo(1);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(RunScriptIds.TIMER_SCRIPT_POLL).finished().count()).isZero();
  }
}
