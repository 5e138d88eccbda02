package org.lsst.ts.upgrade.runbook.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.engine.RunDoor;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A script its ScriptQueue no longer knows (issue 14.8), on the twin: the queue restarts (faults
 * {@code queue-restarts-before-start}, {@code queue-restarts}) and forgets its queue and history;
 * the orchestrator reads that from the queue's own {@code queue} events on Kafka, through LOVE's real
 * HTTP API and the twin's broker. A script lost before it started is added again by itself, once,
 * and the step ends as the new script does; one lost after it started goes to a person within a
 * couple of polls, not at the 30-minute deadline.
 */
@RehearsalTest
class ScriptLostRehearsalTests {
  private static final String SITE = "tts";
  private static final String SCRIPT = "set_summary_state.py";

  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired HistoryService history;
  @Autowired IdentityService identity;
  @Autowired FaultRegistry faults;
  @Autowired TwinReset reset;
  @Autowired ActionLog actions;

  @AfterEach
  void resetSite() {
    reset.reset(SITE);
  }

  private String startScript(String tag) {
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

  private void awaitEnd(String pid) {
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1);
  }

  private Object historic(String pid, String name) {
    var v = history.createHistoricVariableInstanceQuery().processInstanceId(pid).variableName(name).singleResult();
    return v == null ? null : v.getValue();
  }

  private List<ActionLog.Action> restarts() {
    return actions.actions(SITE).stream().filter(a -> a.system().equals("love") && a.action().equals("queue-restarted"))
        .toList();
  }

  @Test
  void aScriptLostBeforeItStartedIsAddedAgainOnceAndTheStepEndsAsTheNewOneDoes() {
    int restartsBefore = restarts().size();
    faults.inject(SITE, "love", SCRIPT, "queue-restarts-before-start", Map.of(), 1);
    String pid = startScript("tts-lost-queued");
    awaitEnd(pid);

    assertThat(restarts()).hasSize(restartsBefore + 1);
    assertThat(historic(pid, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
    assertThat(historic(pid, RunVariables.SCRIPT_ADDED_AGAIN)).isEqualTo(1);
    // a new script, under a tag of its own: the lost one's tag answers the lost index
    assertThat(historic(pid, RunVariables.SCRIPT_TAG)).isEqualTo("tts-lost-queued:again1");
    int lostIndex = (Integer) restarts().get(restarts().size() - 1).params().get("script");
    assertThat(historic(pid, RunVariables.SCRIPT_INDEX)).isNotEqualTo(lostIndex);
    assertThat((String) historic(pid, RunVariables.SCRIPTS_LOST))
        .contains("`set_summary_state.py` (script " + lostIndex + " on ScriptQueue:1", "It had not started.",
            "Added again by itself");
    assertThat(history.createHistoricTaskInstanceQuery().processInstanceId(pid)
        .taskDefinitionKey(RunScriptIds.SCRIPT_LOST).count()).isZero();
    // added twice: the lost script and the new one, nothing more
    assertThat(actions.actions(SITE).stream().filter(a -> a.system().equals("love") && a.action().equals("add-script")
        && String.valueOf(a.params().get("descr")).contains("[tag:tts-lost-queued"))).hasSize(2);
  }

  @Test
  void aScriptLostAfterItStartedGoesToAPersonWithinACoupleOfPolls() {
    faults.inject(SITE, "love", SCRIPT, "queue-restarts", Map.of(), 1);
    String pid = startScript("tts-lost-running");
    Task task = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
        tasks.createTaskQuery().processInstanceId(pid).taskDefinitionKey(RunScriptIds.SCRIPT_LOST).singleResult(),
        t -> t != null);
    assertThat((String) tasks.getVariable(task.getId(), RunVariables.SCRIPT_LOST_TEXT))
        .contains("`set_summary_state.py`", "ScriptQueue:1", "no longer known to its queue", "It had started");
    // nothing was added again by itself: it may have done part of its work
    assertThat(runtime.getVariable(pid, RunVariables.SCRIPT_ADDED_AGAIN)).isNull();

    // the "running longer than usual" timer (3 s here) may fire as the answer is saved: the answer's
    // transaction is then rolled back (a write conflict) and the person submits it again
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreException(OptimisticLockingException.class).until(() -> {
          identity.setAuthentication("operator", List.of("operators"));
          try {
            tasks.complete(task.getId(), Map.of(RunVariables.SCRIPT_LOST_DECISION, "done",
                RunVariables.SCRIPT_LOST_NOTE, "Test:42 sent to STANDBY in LOVE"));
          } finally {
            identity.clearAuthentication();
          }
          return true;
        });
    awaitEnd(pid);
    assertThat(historic(pid, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
    assertThat((String) historic(pid, RunVariables.SCRIPT_MESSAGE))
        .contains("operator says it ran to completion by hand: Test:42 sent to STANDBY in LOVE");
    assertThat((String) historic(pid, RunVariables.SCRIPTS_LOST)).contains("ran to completion by hand");
  }
}
