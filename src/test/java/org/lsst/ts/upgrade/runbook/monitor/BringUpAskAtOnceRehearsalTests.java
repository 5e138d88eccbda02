package org.lsst.ts.upgrade.runbook.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Ask at once, keep watching, for the bring-up monitor (issue 15.2), on the twin: a CSC that does
 * not come up after the deployment is put to a person as soon as it is later than CSCs usually take
 * ({@code bringUpAskAfter}), with the live list, while the monitor goes on watching (not at its
 * deadline); nobody answers, the CSC then comes up, and the task goes away by itself (deleted, never
 * completed), nothing is reported as not in working order, and the run goes on to its end.
 */
@RehearsalTest
class BringUpAskAtOnceRehearsalTests {
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
  /** The person "CSCs not up" goes to, away while the test runs. */
  private PersonAway personAway;
  /** The run whose timing this test sets. */
  private final AtomicReference<String> runOfThisTest = new AtomicReference<>();

  /** Sets this run's timing when its configurations are updated. */
  private final Autopilot.TaskAction timing = new Autopilot.TaskAction() {
    @Override
    public boolean handles(String formId) {
      return formId.equals("configurations-updated");
    }

    @Override
    public void perform(String site, String formId, Map<String, Object> answers) {
      String runId = runOfThisTest.get();
      if (runId == null) {
        return;
      }
      runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId)
          .processDefinitionKey(IncrementalUpgradeIds.KEY).list().forEach(p -> {
            runtime.setVariable(p.getId(), RunVariables.BRING_UP_ASK_AFTER, "PT2S");
            runtime.setVariable(p.getId(), RunVariables.MONITOR_TIMEOUT, "PT10M");
          });
    }
  };

  @AfterEach
  void off() {
    if (personAway != null) {
      personAway.close();
    }
    runOfThisTest.set(null);
    autopilot.removeAction(timing);
    autopilot.setEnabled(false);
    reset.reset(SITE);
  }

  @Test
  void aCscLateToComeUpIsAskedAboutAtOnceAndTheTaskGoesAwayWhenItComesUp() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    personAway = PersonAway.from(autopilot, "monitor-timeout");
    // this run's timing, set when the configurations are updated (after send-cscs-offline, whose
    // "out all" would copy older values back, and before the bring-up): CSCs "usually" up within
    // 2 s, the monitor's deadline far beyond the test
    autopilot.addAction(timing);
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "incremental-upgrade");
    body.put("site", SITE);
    body.put("cycle", "Cycle 40");
    body.put("revision", "Revision 2");
    body.put("cscs", List.of("ATDome"));
    body.put("breakingSchemaChange", false);
    // the configurations task comes long after the start: the run is known to the action by then
    String runId = runs.start(body, null).runId();
    runOfThisTest.set(runId);
    String pid = runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId)
        .processDefinitionKey(IncrementalUpgradeIds.KEY).singleResult().getId();
    // ATDome does not come back after its redeployment
    twinCscs.setBehaviour(SITE, DOME, Site.Behaviour.FAILS_TO_START);

    // well before the monitor's deadline: the task, with the live list, while the monitor watches
    Task task = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() ->
        tasks.createTaskQuery().processInstanceBusinessKey(runId)
            .taskDefinitionKey(BringUpAndMonitorIds.CONTINUE_AFTER_MONITOR).singleResult(), t -> t != null);
    assertThat((String) tasks.getVariable(task.getId(), RunVariables.AWAIT_LAGGARDS_TEXT)).contains("ATDome");
    String bringUp = runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId)
        .processDefinitionKey(BringUpAndMonitorIds.KEY).singleResult().getId();
    assertThat(runtime.getActiveActivityIds(bringUp)).as("the monitor goes on")
        .contains(BringUpAndMonitorIds.AWAIT_CSCS_UP);

    // ATDome comes up: the task is withdrawn, never completed, and the run goes on by itself
    twinCscs.setBehaviour(SITE, DOME, Site.Behaviour.NORMAL);
    twinCscs.launch(SITE, DOME);
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
        tasks.createTaskQuery().taskId(task.getId()).count() == 0);
    var historic = history.createHistoricTaskInstanceQuery().taskId(task.getId()).singleResult();
    assertThat(historic.getDeleteReason()).as("withdrawn, not completed").isNotEqualTo("completed");
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1
            || runtime.createIncidentQuery().count() > 0);
    assertThat(runtime.createIncidentQuery().count()).isZero();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pid).singleResult().getEndActivityId())
        .isEqualTo(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(bringUp)
        .activityId(BringUpAndMonitorIds.END_CSCS_UP).count()).isEqualTo(1);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(bringUp)
        .activityId(BringUpAndMonitorIds.REPORT_UNHEALTHY_CSCS).count()).as("nothing reported").isZero();
  }
}
