package org.lsst.ts.upgrade.runbook.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
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
 * Soft deadlines (issue 17.1) on the twin: a script that runs longer than it usually does (the test
 * configuration says 3 s for {@code set_summary_state.py}; the twin's {@code script-hangs} fault
 * keeps it RUNNING) is put to a person at once, long before the 30-minute hard deadline. "Stop it"
 * stops the script on the ScriptQueue and the step fails with who chose it; a script that ends
 * otherwise withdraws the task.
 */
@RehearsalTest
class ScriptOverdueRehearsalTests {
  private static final String SITE = "tts";
  private static final String SCRIPT = "set_summary_state.py";

  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired HistoryService history;
  @Autowired IdentityService identity;
  @Autowired FaultRegistry faults;
  @Autowired TwinReset reset;
  @Autowired Love love;

  @AfterEach
  void resetSite() {
    reset.reset(SITE);
  }

  private String startHungScript(String tag) {
    faults.inject(SITE, "love", SCRIPT, "script-hangs", Map.of(), 1);
    Map<String, Object> vars = new HashMap<>();
    vars.put(RunVariables.SITE, SITE);
    vars.put(RunVariables.RUN_ID, tag);
    vars.put(RunVariables.SCRIPT_QUEUE, 1);
    vars.put(RunVariables.POLL_INTERVAL, "PT0.5S");
    vars.put(RunVariables.SCRIPT_PATH, SCRIPT);
    vars.put(RunVariables.SCRIPT_CONFIG_JSON, "{\"data\":[[\"Test:42\",\"STANDBY\"]]}");
    vars.put(RunVariables.SCRIPT_TAG, tag);
    return RunDoor.through(() -> runtime.startProcessInstanceByKey(RunScriptIds.KEY, tag, vars).getId());
  }

  private Task overdueTask(String pid) {
    return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
        tasks.createTaskQuery().processInstanceId(pid).taskDefinitionKey(RunScriptIds.SCRIPT_OVERDUE).singleResult(),
        t -> t != null);
  }

  @Test
  void aPersonStopsAScriptThatRunsLongerThanUsual() {
    String pid = startHungScript("tts-overdue-stop");
    Task task = overdueTask(pid);
    assertThat((String) tasks.getVariable(task.getId(), RunVariables.SCRIPT_OVERDUE_TEXT))
        .contains("`set_summary_state.py`", "has run", "(usually 3 s)", "stopped anyway after 30 min");

    identity.setAuthentication("operator", java.util.List.of("operators"));
    try {
      tasks.complete(task.getId(), Map.of("overdueDecision", "stop"));
    } finally {
      identity.clearAuthentication();
    }
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid)
        .variableName(RunVariables.SCRIPT_SUCCEEDED).singleResult().getValue()).isEqualTo(false);
    assertThat((String) history.createHistoricVariableInstanceQuery().processInstanceId(pid)
        .variableName(RunVariables.SCRIPT_MESSAGE).singleResult().getValue())
        .contains("operator chose to stop it", "it was stopped (cmd_stopScripts)");
  }

  @Test
  void theTaskIsWithdrawnWhenTheScriptEndsMeanwhile() {
    String pid = startHungScript("tts-overdue-ends");
    Task task = overdueTask(pid);
    // someone stops it in LOVE: the script ends (STOPPED), the step ends, and nobody is asked any more
    int index = (Integer) runtime.getVariable(pid, RunVariables.SCRIPT_INDEX);
    love.stopScript(SITE, 1, index);
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1);
    assertThat(tasks.createTaskQuery().taskId(task.getId()).count()).isZero();
    assertThat(history.createHistoricTaskInstanceQuery().taskId(task.getId()).singleResult().getDeleteReason())
        .isNotEqualTo("completed");
  }
}
