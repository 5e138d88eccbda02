package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.RemoteHostException;
import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;

/**
 * Engine-level tests of {@code run-host-commands} on TTS's camera bridges (auxtel-mcm, comcam-mcm):
 * the soft deadline (asked at once, withdrawn when the hosts finish or fail, "stop waiting"), the failure
 * task (retry runs the failed hosts again, done by hand needs a note and is recorded), the hard
 * deadline, and an SSH failure as an incident that says what to do.
 */
class RunHostCommandsProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  /** Hosts whose jobs are still running; the others' jobs end as {@link #failing} says. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  /** host → the attempt numbers (job id suffixes) that fail, with exit 1 and an error on stderr. */
  private final Map<String, String> failing = new ConcurrentHashMap<>();

  @AfterEach
  void realClock() {
    ClockUtil.reset();
  }

  private ProcessInstance cameraShutdown() {
    h.siteUp("tts");
    when(h.hosts.detachedStatus(anyString(), anyString(), anyString())).thenAnswer(inv -> {
      String host = inv.getArgument(1);
      String job = inv.getArgument(2);
      if (running.contains(host)) {
        return new DetachedStatus(host, job, DetachedStatus.State.RUNNING, null, "stopping ocs-bridge");
      }
      boolean fails = failing.containsKey(host) && job.endsWith("-" + failing.get(host));
      return new DetachedStatus(host, job, fails ? DetachedStatus.State.FAILED : DetachedStatus.State.SUCCEEDED,
          fails ? 1 : 0, fails ? "stopping ocs-bridge\nError response from daemon: No such container: ocs-bridge" : "done");
    });
    return h.engine.getRuntimeService().startProcessInstanceByKey(RunHostCommandsIds.KEY, Map.of(
        RunVariables.SITE, "tts", RunVariables.RUN_ID, "tts-host-step-" + System.nanoTime(),
        RunVariables.POLL_INTERVAL, "PT1S", RunVariables.HOST_STEP, RunHostCommands.Step.CAMERA_SHUTDOWN.name()));
  }

  private Task task(ProcessInstance pi) {
    return h.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
  }

  private String variable(ProcessInstance pi, String name) {
    return (String) h.engine.getRuntimeService().getVariable(pi.getId(), name);
  }

  private void passSoftDeadline(ProcessInstance pi) {
    var timer = h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .activityId(RunHostCommandsIds.START_HOST_STEP_OVERDUE).singleResult();
    assertThat(timer).as("the soft deadline's timer").isNotNull();
    h.engine.getManagementService().executeJob(timer.getId());
  }

  /** The hosts still running past the step's usual time: the question is open (and was not before). */
  private ProcessInstance askedWhileRunning(String... hosts) {
    running.addAll(java.util.List.of(hosts));
    ProcessInstance pi = cameraShutdown();
    h.runJobs(6);
    assertThat(task(pi)).as("nothing asked before the usual time").isNull();
    passSoftDeadline(pi);
    assertThat(task(pi).getTaskDefinitionKey()).isEqualTo(RunHostCommandsIds.USER_TASK_HOST_STEP_OVERDUE);
    return pi;
  }

  private void completeAs(String user, Task t, Map<String, Object> values) {
    h.engine.getIdentityService().setAuthenticatedUserId(user);
    try {
      h.engine.getTaskService().complete(t.getId(), values);
    } finally {
      h.engine.getIdentityService().clearAuthentication();
    }
  }

  @Test
  void aHostStepLongerThanUsualIsPutToAPersonAtOnceAndWithdrawnWhenTheHostsFinish() {
    ProcessInstance pi = askedWhileRunning("auxtel-mcm");
    Task overdue = task(pi);
    h.checkFormContext(overdue);
    assertThat(h.formContextProblems).isEmpty();
    // names the host still running (not the one done), for how long, the usual time and the hard deadline
    assertThat(variable(pi, RunHostCommandsIds.VAR_HOST_STEP_OVERDUE_TEXT)).contains("**CAMERA_SHUTDOWN** has run")
        .contains("still running on auxtel-mcm (as of the last look)").doesNotContain("comcam-mcm")
        .contains("(usually " + org.lsst.ts.upgrade.runbook.Durations.human(RunbookEngine.SOFT_DEADLINE_NEVER) + ")").contains("counts as failed at").contains("upgrade.ssh.detached-timeout");

    running.clear();
    h.runJobs(4);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.END_HOST_STEP_DONE);
    assertThat(h.engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(overdue.getId()).singleResult()
        .getDeleteReason()).as("withdrawn, not completed").isNotEqualTo("completed");
  }

  @Test
  void stopWaitingLeadsToTheFailureTaskWhereDoneByHandNeedsANoteAndIsRecorded() {
    ProcessInstance pi = askedWhileRunning("auxtel-mcm", "comcam-mcm");
    completeAs("operator1", task(pi), Map.of(RunHostCommandsIds.VAR_HOST_STEP_OVERDUE_DECISION, "stop"));
    h.runJobs(2);

    Task failure = task(pi);
    assertThat(failure.getTaskDefinitionKey()).isEqualTo(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    // the question was answered, not withdrawn: its "stop waiting" is what opened the failure task
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.END_HOST_STEP_STOP_REQUESTED)
        .doesNotContain(RunHostCommandsIds.END_HOST_STEP_OVERDUE_WITHDRAWN);
    h.checkFormContext(failure);
    assertThat(h.formContextProblems).isEmpty();
    assertThat(variable(pi, RunHostCommandsIds.VAR_HOST_STEP_FAILURE_TEXT))
        .contains("CAMERA_SHUTDOWN ran longer than usual and operator1 chose to stop waiting for it")
        .contains("still running on auxtel-mcm, comcam-mcm").contains("**auxtel-mcm**: still running")
        .contains("log on the host: `~/.upgrade-orchestrator/jobs/hoststep-camera-shutdown-")
        .contains("stopping ocs-bridge");

    assertThatThrownBy(() -> completeAs("operator1", failure, Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION,
        Decisions.HANDLED_BY_HAND, RunHostCommandsIds.VAR_HOST_STEP_BY_HAND_NOTE, " ")))
        .hasMessageContaining("without a note");
    completeAs("operator1", failure, Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.HANDLED_BY_HAND,
        RunHostCommandsIds.VAR_HOST_STEP_BY_HAND_NOTE, "bridges stopped\nwith docker stop"));
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.END_HOST_STEP_DONE_BY_HAND)
        .doesNotContain(RunHostCommandsIds.END_HOST_STEP_DONE);
    assertThat(h.historicVariable(pi, RunVariables.HOST_STEPS_BY_HAND)).isEqualTo(
        "CAMERA_SHUTDOWN on auxtel-mcm, comcam-mcm, by operator1 — bridges stopped with docker stop");
  }

  private java.util.List<Task> openTasks(ProcessInstance pi) {
    return h.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).list();
  }

  private String deleteReason(Task t) {
    return h.engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(t.getId()).singleResult()
        .getDeleteReason();
  }

  @Test
  void theLongerThanUsualQuestionIsWithdrawnWhenTheHostsFailAndNothingIsLeftOpenThroughARetry() {
    ProcessInstance pi = askedWhileRunning("auxtel-mcm");
    Task overdue = task(pi);

    // nobody answers; the host fails meanwhile: the failure task opens and the question goes
    running.clear();
    failing.put("auxtel-mcm", "0");
    h.runJobs(2);
    assertThat(openTasks(pi)).extracting(Task::getTaskDefinitionKey).as("only the failure task is open")
        .containsExactly(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    assertThat(deleteReason(overdue)).as("withdrawn, not answered").isNotNull().isNotEqualTo("completed");
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.END_HOST_STEP_OVERDUE_WITHDRAWN);
    assertThat(h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(RunHostCommandsIds.VAR_HOST_STEP_OVERDUE_DECISION).count()).as("nobody answered it").isZero();

    // the retry runs long again: nothing is open while it runs (the soft deadline is asked once per step)
    completeAs("operator1", task(pi), Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.RETRY));
    h.engine.getManagementService().executeJob(h.engine.getManagementService().createJobQuery()
        .processInstanceId(pi.getId()).activityId(RunHostCommandsIds.RUN_FAILED_HOSTS_AGAIN).singleResult().getId());
    running.add("auxtel-mcm");
    h.runJobs(4);
    assertThat(pi).as("still waiting for the retried host").isNotEnded();
    assertThat(openTasks(pi)).as("nothing left open through the retry").isEmpty();
    assertThat(h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .activityId(RunHostCommandsIds.START_HOST_STEP_OVERDUE).count()).as("not asked again").isZero();
    running.clear();
    h.runJobs(4);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.RUN_FAILED_HOSTS_AGAIN, RunHostCommandsIds.END_HOST_STEP_DONE);
  }

  @Test
  void theLongerThanUsualQuestionIsWithdrawnAtTheHardDeadlineToo() {
    ProcessInstance pi = askedWhileRunning("comcam-mcm");
    Task overdue = task(pi);

    ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofMinutes(11))));
    h.runJobs(2);
    assertThat(openTasks(pi)).extracting(Task::getTaskDefinitionKey)
        .containsExactly(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    assertThat(deleteReason(overdue)).as("withdrawn, not answered").isNotNull().isNotEqualTo("completed");

    completeAs("operator1", task(pi), Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.RETRY));
    h.runJobs(4);
    assertThat(openTasks(pi)).as("a new deadline: waiting again, nothing open").isEmpty();
    running.clear();
    h.runJobs(4);
    assertThat(pi).isEnded();
  }

  @Test
  void aFailedHostGoesToAPersonWithItsErrorAndRetryRunsOnlyThatHostAgain() {
    failing.put("auxtel-mcm", "0");
    ProcessInstance pi = cameraShutdown();
    h.runJobs(10);

    assertThat(h.incident(pi)).isNull();
    Task failure = task(pi);
    assertThat(failure.getTaskDefinitionKey()).isEqualTo(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    assertThat(variable(pi, RunHostCommandsIds.VAR_HOST_STEP_FAILURE_TEXT))
        .contains("CAMERA_SHUTDOWN failed on 1 of 2 host(s): auxtel-mcm.")
        .contains("**auxtel-mcm**: failed, exit 1")
        .contains("Error response from daemon: No such container: ocs-bridge").contains("Done: comcam-mcm.");

    completeAs("operator1", failure, Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.RETRY));
    h.runJobs(10);
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.RUN_FAILED_HOSTS_AGAIN, RunHostCommandsIds.END_HOST_STEP_DONE);
    verify(h.hosts).startDetached(eq("tts"), eq("auxtel-mcm"), argThat(j -> j.endsWith("-1")), anyList());
    verify(h.hosts, never()).startDetached(eq("tts"), eq("comcam-mcm"), argThat(j -> j.endsWith("-1")), anyList());
    assertThat(h.historicVariable(pi, RunVariables.HOST_STEPS_BY_HAND)).isNull();
  }

  @Test
  void hostsStillRunningAtTheHardDeadlineGoToAPersonAndARetryWaitsAgain() {
    running.add("comcam-mcm");
    ProcessInstance pi = cameraShutdown();
    h.runJobs(6);
    assertThat(task(pi)).isNull();

    ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofMinutes(11))));
    h.runJobs(2);
    Task failure = task(pi);
    assertThat(failure.getTaskDefinitionKey()).isEqualTo(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    assertThat(variable(pi, RunHostCommandsIds.VAR_HOST_STEP_FAILURE_TEXT))
        .contains("CAMERA_SHUTDOWN still running after 10 min (upgrade.ssh.detached-timeout) on comcam-mcm")
        .contains("Done: auxtel-mcm.");

    completeAs("operator1", failure, Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.RETRY));
    h.runJobs(4);
    assertThat(pi).isWaitingAt(RunHostCommandsIds.TIMER_HOST_COMMANDS_POLL);
    assertThat(task(pi)).as("a new deadline: waiting again").isNull();
    verify(h.hosts, never()).startDetached(eq("tts"), anyString(), argThat(j -> j.endsWith("-1")), anyList());
    running.clear();
    h.runJobs(4);
    assertThat(pi).isEnded();
  }

  @Test
  void aHostThatCannotBeReachedIsAnIncidentSayingWhereAndWhatNext() {
    ProcessInstance pi = cameraShutdown();
    when(h.hosts.detachedStatus(anyString(), eq("auxtel-mcm"), anyString())).thenThrow(new RemoteHostException(
        "tts/auxtel-mcm (upgrade-orchestrator@127.0.0.1:2222) cannot be reached: Connection refused", null));
    h.runJobs(20);

    var incident = h.incident(pi);
    assertThat(incident).isNotNull();
    assertThat(incident.getActivityId()).isEqualTo(RunHostCommandsIds.CHECK_HOST_COMMANDS);
    assertThat(incident.getIncidentMessage()).contains("CAMERA_SHUTDOWN: could not read the state of the commands")
        .contains("tts/auxtel-mcm").contains("cannot be reached: Connection refused")
        .contains("Check that the host is up and reachable over SSH").contains("Retry this incident in Cockpit");
    assertThat(task(pi)).isNull();

    // reachable again: the operator's retry looks again, and nothing is started twice
    when(h.hosts.detachedStatus(anyString(), eq("auxtel-mcm"), anyString())).thenAnswer(inv ->
        new DetachedStatus(inv.getArgument(1), inv.getArgument(2), DetachedStatus.State.SUCCEEDED, 0, "done"));
    var job = h.engine.getManagementService().createJobQuery().processInstanceId(pi.getId())
        .activityId(RunHostCommandsIds.CHECK_HOST_COMMANDS).singleResult();
    h.engine.getManagementService().setJobRetries(job.getId(), 1);
    h.runJobs(4);
    assertThat(pi).isEnded();
    verify(h.hosts, never()).startDetached(eq("tts"), anyString(), argThat(j -> j.endsWith("-1")), anyList());
  }
}
