package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.history.RunReports;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.lsst.ts.upgrade.rehearsal.TwinSlack;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.engine.RunDoor;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Host steps that need a person, on the twin's SSH servers (the application's own engine and SSH
 * client): the camera bridges' stop on auxtel-mcm fails with an error on stderr, and the failure
 * task shows it; the person records it as done by hand, and the run goes on and says so in its
 * summary (Slack) and report. A slow restart of a host's services (the test configuration expects
 * 1 s for it) is asked about at once, and the question goes when the host finishes, or when it fails
 * (the failure task opens instead; a retry asks nobody again).
 */
@RehearsalTest
class HostStepFailureRehearsalTests {
  private static final String SITE = "tts";
  private static final String HOST = "auxtel-mcm";
  private static final String STDERR = "Failed to stop ats-ocs-bridge.service: Unit ats-ocs-bridge.service not loaded.";

  @Autowired Runs runs;
  @Autowired RunReports reports;
  @Autowired Autopilot autopilot;
  @Autowired TwinReset reset;
  @Autowired TwinCscs twinCscs;
  @Autowired CscStates cscStates;
  @Autowired FaultRegistry faults;
  @Autowired TwinSlack slack;
  @Autowired HistoryService history;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired org.camunda.bpm.engine.IdentityService identity;
  @Autowired org.lsst.ts.upgrade.rehearsal.ActionLog actions;

  private Long fault;
  private Long secondFault;

  @AfterEach
  void off() {
    autopilot.setEnabled(false);
    autopilot.clearOverrides();
    if (fault != null) {
      faults.remove(fault);
    }
    if (secondFault != null) {
      faults.remove(secondFault);
      secondFault = null;
    }
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
  }

  @Test
  void aFailedHostStepShowsTheErrorAndDoneByHandIsInTheSummaryAndTheReport() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    // only the bridge's stop fails (every time), with its exit status and an error on stderr
    fault = faults.inject(SITE, "ssh", HOST, "command-fails", Map.of("command", "systemctl stop ats-ocs-bridge",
        "exit", "5", "message", STDERR), 0).id();
    int before = slack.messages(SITE).size();
    autopilot.override(Map.of("host-step-failed", Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, "handledByHand",
        RunHostCommandsIds.VAR_HOST_STEP_BY_HAND_NOTE, "stopped the bridge with docker stop")));
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "full-upgrade");
    body.put("site", SITE);
    body.put("cycle", "Cycle 40");
    body.put("breakingSchemaChange", false);
    body.put("phalanxRef", "tickets/DM-12345");
    var started = runs.start(body, null);
    String pi = started.processInstanceId();
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pi).finished().count() == 1
            || runtime.createIncidentQuery().count() > 0);
    assertThat(runtime.createIncidentQuery().count()).as("a failed host is no incident").isZero();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pi).singleResult().getEndActivityId())
        .isEqualTo(FullUpgradeIds.END_UPGRADE_DONE);

    // the failure task: the host, its exit status and its stderr; decided "done by hand" by the autopilot
    HistoricTaskInstance failure = history.createHistoricTaskInstanceQuery().rootProcessInstanceId(pi)
        .taskDefinitionKey(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE).singleResult();
    assertThat(failure).isNotNull();
    assertThat(failure.getDeleteReason()).isEqualTo("completed");
    String text = (String) history.createHistoricVariableInstanceQuery().processInstanceId(failure.getProcessInstanceId())
        .variableName(RunHostCommandsIds.VAR_HOST_STEP_FAILURE_TEXT).singleResult().getValue();
    assertThat(text).contains("Stop the camera OCS bridges (CAMERA_SHUTDOWN) failed on 1 of 2 host(s): " + HOST)
        .contains("**" + HOST + "**: failed, exit 5").contains(STDERR).contains("Done: comcam-mcm.");

    // the task reached the site's channel (its Block Kit message shows the failure text; TaskMessagesTests)
    assertThat(actions.actions(SITE)).anyMatch(a -> a.system().equals("slack") && a.action().equals("chat.postMessage")
        && String.valueOf(a.params().get("text")).contains("waits for operators: *Host step failed: retry, done by hand or abort?*"));

    // the summary in Slack and the report say who did what by hand
    String line = "Stop the camera OCS bridges (CAMERA_SHUTDOWN) on " + HOST + ", by " + Autopilot.USER
        + " — stopped the bridge with docker stop";
    await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages(SITE).stream().skip(before)
        .anyMatch(m -> m.text().contains(started.runId()) && m.text().contains("host steps done by hand: " + line)));
    assertThat(reports.report(started.runId()).hostStepsByHand()).containsExactly(line);
  }

  @Test
  void aHostStepLongerThanUsualIsAskedAboutAtOnceAndTheQuestionGoesWhenTheHostFinishes() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    fault = faults.inject(SITE, "ssh", HOST, "slow", Map.of("millis", "6000"), 0).id();
    String pid = RunDoor.through(() -> runtime.startProcessInstanceByKey(RunHostCommandsIds.KEY,
        "tts-host-step-overdue-" + System.nanoTime(), Variables.createVariables().putValue(RunVariables.SITE, SITE)
            .putValue(RunVariables.HOST_STEP, RunHostCommands.Step.RESTART_HOST.name())
            .putValue(org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds.VAR_RESTART_HOST, HOST)
            .putValue(RunVariables.POLL_INTERVAL, "PT0.5S")).getId());

    var overdue = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        tasks.createTaskQuery().processInstanceId(pid).taskDefinitionKey(RunHostCommandsIds.USER_TASK_HOST_STEP_OVERDUE)
            .singleResult(), t -> t != null);
    assertThat((String) tasks.getVariable(overdue.getId(), RunHostCommandsIds.VAR_HOST_STEP_OVERDUE_TEXT))
        .contains("**RESTART_HOST** has run", "(usually 1 s)", "still running on " + HOST);

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(RunHostCommandsIds.END_HOST_STEP_DONE).finished().count()).isEqualTo(1);
    assertThat(history.createHistoricTaskInstanceQuery().taskId(overdue.getId()).singleResult().getDeleteReason())
        .as("withdrawn, nobody answered").isNotEqualTo("completed");
    // the question reached the site's channel (its message is replaced by "withdrawn" since)
    assertThat(actions.actions(SITE)).as("the question reached the site's channel").anyMatch(a ->
        a.system().equals("slack") && a.action().equals("chat.postMessage")
            && String.valueOf(a.params().get("text")).contains("longer than usual"));
  }

  @Test
  void theSoftDeadlineIsAskedOncePerStepAfterARetryOnlyTheHardDeadlineIsLeft() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    // every attempt runs longer than usual (1 s); the first one fails as it starts the bridge again
    fault = faults.inject(SITE, "ssh", HOST, "slow", Map.of("millis", "4000"), 0).id();
    secondFault = faults.inject(SITE, "ssh", HOST, "command-fails", Map.of("command", "systemctl start ats-ocs-bridge",
        "exit", "3", "message", "Job for ats-ocs-bridge.service failed."), 1).id();
    String pid = RunDoor.through(() -> runtime.startProcessInstanceByKey(RunHostCommandsIds.KEY,
        "tts-host-step-once-" + System.nanoTime(), Variables.createVariables().putValue(RunVariables.SITE, SITE)
            .putValue(RunVariables.HOST_STEP, RunHostCommands.Step.RESTART_HOST.name())
            .putValue(org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds.VAR_RESTART_HOST, HOST)
            .putValue(RunVariables.POLL_INTERVAL, "PT0.5S")).getId());

    // asked at once; nobody answers, and the host fails: the failure task comes and the question goes
    var overdue = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        tasks.createTaskQuery().processInstanceId(pid).taskDefinitionKey(RunHostCommandsIds.USER_TASK_HOST_STEP_OVERDUE)
            .singleResult(), t -> t != null);
    var failure = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        tasks.createTaskQuery().processInstanceId(pid).taskDefinitionKey(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE)
            .singleResult(), t -> t != null);
    assertThat(tasks.createTaskQuery().processInstanceId(pid).list()).extracting(t -> t.getTaskDefinitionKey())
        .as("only the failure task is open").containsExactly(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    assertThat(history.createHistoricTaskInstanceQuery().taskId(overdue.getId()).singleResult().getDeleteReason())
        .as("the question withdrawn, nobody answered it").isNotNull().isNotEqualTo("completed");
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(RunHostCommandsIds.END_HOST_STEP_OVERDUE_WITHDRAWN).finished().count()).isEqualTo(1);
    completeAsOperator(failure.getId(), Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, "retry"));

    // the retry runs longer than usual too, but only the hard deadline is left: nobody is asked again, and
    // nothing is left open while it runs
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertThat(tasks.createTaskQuery().processInstanceId(pid).list()).as("nothing open through the retry").isEmpty();
      return history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1;
    });
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(RunHostCommandsIds.END_HOST_STEP_DONE).finished().count()).isEqualTo(1);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(pid)
        .activityId(RunHostCommandsIds.RUN_FAILED_HOSTS_AGAIN).finished().count()).as("retried").isEqualTo(1);
    assertThat(history.createHistoricTaskInstanceQuery().processInstanceId(pid)
        .taskDefinitionKey(RunHostCommandsIds.USER_TASK_HOST_STEP_OVERDUE).count()).as("asked once").isEqualTo(1);
  }

  private void completeAsOperator(String taskId, Map<String, Object> values) {
    identity.setAuthentication("operator", java.util.List.of("operators"));
    try {
      tasks.complete(taskId, values);
    } finally {
      identity.clearAuthentication();
    }
  }
}
