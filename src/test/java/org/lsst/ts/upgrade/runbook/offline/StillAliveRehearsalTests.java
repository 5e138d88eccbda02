package org.lsst.ts.upgrade.runbook.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.rehearsal.PersonAway;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Ask at once, keep watching (issue 15.2), on the twin: a CSC that ignores OFFLINE is put to a
 * person a moment after the ScriptQueues went OFFLINE (not at the ten-minute deadline), with the
 * live list; nobody answers, the CSC then goes OFFLINE, and the task goes away by itself (deleted,
 * never completed) and the run goes on to its end.
 */
@RehearsalTest
class StillAliveRehearsalTests {
  private static final String SITE = "bts";
  private static final CscId DOME = CscId.of("ATDome");

  @Autowired Runs runs;
  @Autowired Autopilot autopilot;
  @Autowired TwinReset reset;
  @Autowired TwinCscs twinCscs;
  @Autowired CscStates cscStates;
  @Autowired TaskService tasks;
  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired org.lsst.ts.upgrade.runbook.monitor.CheckCscStates check;
  /** The person "CSCs still alive" goes to, away while the test runs. */
  private PersonAway personAway;

  @AfterEach
  void off() {
    if (personAway != null) {
      personAway.close();
    }
    autopilot.setEnabled(false);
    reset.reset(SITE);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aCscIgnoringOfflineIsAskedAboutAtOnceAndTheTaskGoesAwayWhenItGoesOffline() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    twinCscs.setBehaviour(SITE, DOME, Site.Behaviour.IGNORES_OFFLINE);
    personAway = PersonAway.from(autopilot, "cscs-still-alive");
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "incremental-upgrade");
    body.put("site", SITE);
    body.put("cycle", "Cycle 40");
    body.put("revision", "Revision 2");
    body.put("cscs", List.of("ATDome"));
    body.put("breakingSchemaChange", false);
    String runId = runs.start(body, null).runId();
    String pid = runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId)
        .processDefinitionKey(IncrementalUpgradeIds.KEY).singleResult().getId();

    // well before the offline deadline (10 min): the task, with the live list
    Task task = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() ->
        tasks.createTaskQuery().processInstanceBusinessKey(runId)
            .taskDefinitionKey(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE).singleResult(), t -> t != null);
    assertThat((String) tasks.getVariable(task.getId(), "awaitLaggardsText")).contains("ATDome");
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId)
        .processDefinitionKey(SendCscsOfflineIds.KEY).count()).as("the watch goes on").isEqualTo(1);

    // the CSC gives in: the task is withdrawn, never completed, and the run goes on by itself
    twinCscs.setBehaviour(SITE, DOME, Site.Behaviour.NORMAL);
    twinCscs.transitionTo(SITE, DOME, SummaryState.OFFLINE);
    List<String> expectations = (List<String>) tasks.getVariable(task.getId(), "offlineExpectations");
    try {
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
          tasks.createTaskQuery().taskId(task.getId()).count() == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the task stayed; the live states against " + expectations + ": "
          + check.evaluate(SITE, expectations) + "; waiting at " + runtime.createProcessInstanceQuery()
          .processInstanceBusinessKey(runId).list().stream().map(p -> p.getProcessDefinitionId() + " "
              + runtime.getActiveActivityIds(p.getId())).toList(), e);
    }
    var historic = history.createHistoricTaskInstanceQuery().taskId(task.getId()).singleResult();
    assertThat(historic.getDeleteReason()).as("withdrawn, not completed").isNotEqualTo("completed");
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1
            || runtime.createIncidentQuery().count() > 0);
    assertThat(runtime.createIncidentQuery().count()).isZero();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pid).singleResult().getEndActivityId())
        .isEqualTo(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(
            history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(runId)
                .processDefinitionKey(SendCscsOfflineIds.KEY).singleResult().getId())
        .activityId(SendCscsOfflineIds.END_CSCS_OFFLINE).count()).isEqualTo(1);
  }
}
