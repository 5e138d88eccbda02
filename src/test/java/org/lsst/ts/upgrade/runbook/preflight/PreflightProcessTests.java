package org.lsst.ts.upgrade.runbook.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.fullupgrade.PrepareAndAnnounceIds;
import org.lsst.ts.upgrade.site.SummaryState;

/**
 * The preflight at the start of every run: every problem at once, nothing changed or posted before
 * the plan is approved; check again, abort; the plan shown and approved by a person.
 */
class PreflightProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private Task openTask(ProcessInstance pi) {
    h.runJobs(400);
    List<Task> tasks = h.engine.getTaskService().createTaskQuery().list().stream()
        .filter(t -> h.tree(pi).contains(t.getProcessInstanceId())).toList();
    assertThat(tasks).hasSize(1);
    return tasks.get(0);
  }

  private void nothingChangedNorPosted() {
    verify(h.love, never()).addScript(anyString(), anyInt(), any());
    verify(h.love, never()).command(anyString(), any(), anyString(), any());
    verify(h.notifier, never()).post(anyString(), any(), anyString());
    verify(h.argo, never()).sync(anyString(), anyString());
    verify(h.cleanup, never()).cleanupAll(anyString(), eq(false));
    verify(h.hosts, never()).runOnEach(anyString(), any());
    verify(h.hosts, never()).startDetached(anyString(), anyString(), anyString(), any());
    verify(h.registry, never()).setCompatibility(anyString(), anyString());
  }

  @Test
  void thePlanIsShownAndNothingHappensBeforeItIsApproved() {
    h.siteUp("summit");
    ProcessInstance pi = h.start("summit", true);
    Task t = openTask(pi);

    assertThat(t.getTaskDefinitionKey()).isEqualTo(PreflightIds.APPROVE_PLAN);
    nothingChangedNorPosted();
    // the approval is the person's: never preset
    assertThat(h.engine.getTaskService().getVariable(t.getId(), PreflightIds.VAR_PLAN_DECISION)).isNull();
    Map<String, Object> vars = h.engine.getTaskService().getVariables(t.getId());
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_SCRIPTS)).contains("system_wide_shutdown.py")
        .contains("\"ignore\":[\"MTM1M3\",\"MTM1M3TS\"]");
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_ARGOCD)).contains("science-platform, nublado")
        .contains("control-system-test, love");
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_HOSTS)).contains("azar03").contains("update_repo")
        .doesNotContain("more characters");
    // the Summit's hosts do not fit one variable: they go on in the next, shown under it
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_HOSTS + "2")).contains("auxtel-lightning01");
    assertThat(vars.get(PreflightIds.VAR_PLAN_ARGOCD + "2")).isNull();
    // the notices of every run first, those of a mishap last
    assertThat(((String) vars.get(PreflightIds.VAR_PLAN_NOTICES)).indexOf("START"))
        .isLessThan(((String) vars.get(PreflightIds.VAR_PLAN_NOTICES)).indexOf("ABORTED"));
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_NOTICES)).contains("START to #summit-announce")
        .contains("CAMERA_STAGE1 to").contains("SUMMARY");
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_MONITOR)).contains("MTM1M3TS").contains("ENABLED");
    assertThat((String) vars.get(PreflightIds.VAR_PLAN_RUN)).contains("compatibility set to NONE");

    h.engine.getTaskService().complete(t.getId(), Map.of(PreflightIds.VAR_PLAN_DECISION, "approve"));
    h.runJobs(400);
    assertThat(h.passed(pi)).containsSubsequence(PreflightIds.CHECK_ACCESS, PreflightIds.APPROVE_PLAN,
        PreflightIds.END_PLAN_APPROVED, PrepareAndAnnounceIds.ANNOUNCE_START);
  }

  @Test
  void everyProblemIsListedAtOnceAndNothingIsChanged() {
    h.siteUp("summit");
    when(h.love.mayCommand("summit")).thenThrow(new IllegalStateException("login refused (400) for user 'op'"));
    when(h.hosts.accessProblem("summit", "azar03")).thenReturn(Optional.of("summit/azar03 (azar03.cp.lsst.org:22) "
        + "cannot be reached: connection refused"));
    when(h.notifier.accessProblem("summit")).thenReturn(Optional.of("Slack refused the token (auth.test: invalid_auth)"));
    when(h.cleanup.accessProblems(eq("summit"), any(), eq(true))).thenReturn(List.of(
        "Kubernetes (context yagan): may not delete jobs in namespace auxtel"));
    ProcessInstance pi = h.start("summit", false);
    Task t = openTask(pi);

    assertThat(t.getTaskDefinitionKey()).isEqualTo(PreflightIds.REVIEW_PREFLIGHT_PROBLEMS);
    @SuppressWarnings("unchecked")
    List<String> problems = (List<String>) h.engine.getTaskService().getVariable(t.getId(), PreflightIds.VAR_PREFLIGHT_PROBLEMS);
    assertThat(problems).hasSize(4);
    assertThat(String.join("\n", problems)).contains("LOVE (https://summit-lsp.lsst.codes/love)").contains("login refused")
        .contains("SSH azar03 (azar03.cp.lsst.org:22)").contains("bring the host up")
        .contains("Slack (#summit-announce)").contains("may not delete jobs in namespace auxtel");
    nothingChangedNorPosted();
  }

  @Test
  void checkAgainAfterAFixGoesOnToThePlan() {
    h.siteUp("tts");
    org.mockito.Mockito.doThrow(new IllegalStateException("Argo CD answered 401: token expired"))
        .doReturn(List.of()).when(h.argo).list(anyString(), anyString());
    ProcessInstance pi = h.start("tts", false);
    Task t = openTask(pi);
    assertThat(t.getTaskDefinitionKey()).isEqualTo(PreflightIds.REVIEW_PREFLIGHT_PROBLEMS);
    assertThat((String) h.engine.getTaskService().getVariable(t.getId(), PreflightIds.VAR_PREFLIGHT_PROBLEMS_TEXT))
        .contains("Argo CD (https://tucson-teststand.lsst.codes/argo-cd): Argo CD answered 401: token expired")
        .contains("renew it");

    h.engine.getTaskService().complete(t.getId(), Map.of(PreflightIds.VAR_PREFLIGHT_DECISION, "checkAgain"));
    // the apps the project list lacks are read one by one (they exist)
    assertThat(openTask(pi).getTaskDefinitionKey()).isEqualTo(PreflightIds.APPROVE_PLAN);
    nothingChangedNorPosted();
  }

  @Test
  void abortAtThePreflightEndsTheRunThroughItsAbortPath() {
    h.siteUp("tts");
    when(h.registry.compatibility("tts")).thenThrow(new IllegalStateException("schema registry answered 503"));
    ProcessInstance pi = h.start("tts", false);
    Task t = openTask(pi);
    h.engine.getTaskService().complete(t.getId(), Map.of(PreflightIds.VAR_PREFLIGHT_DECISION, "abort"));
    h.runJobs(400);

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(PreflightIds.END_PREFLIGHT_ABORTED, FullUpgradeIds.END_UPGRADE_ABORTED)
        .doesNotContain(PrepareAndAnnounceIds.PLAN_RUN);
    verify(h.love, never()).addScript(anyString(), anyInt(), any());
  }

  @Test
  void abortAtThePlanEndsTheRunThroughItsAbortPath() {
    h.siteUp("tts");
    ProcessInstance pi = h.start("tts", false);
    Task t = openTask(pi);
    h.engine.getTaskService().complete(t.getId(), Map.of(PreflightIds.VAR_PLAN_DECISION, "abort"));
    h.runJobs(400);

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(PreflightIds.END_PLAN_REJECTED, FullUpgradeIds.END_UPGRADE_ABORTED)
        .doesNotContain(PrepareAndAnnounceIds.PLAN_RUN);
    verify(h.love, never()).addScript(anyString(), anyInt(), any());
  }

  @Test
  void aMonitorWithoutFreshHeartbeatsIsAProblemNotEverythingOffline() {
    when(h.cscStates.snapshot("tts")).thenAnswer(inv -> h.site("tts").cscIds().stream()
        .map(id -> new CscStatus(id, SummaryState.STANDBY, Duration.ofMinutes(20), SummaryState.OFFLINE, Instant.now()))
        .toList());
    ProcessInstance pi = h.start("tts", false);
    Task t = openTask(pi);

    assertThat(t.getTaskDefinitionKey()).isEqualTo(PreflightIds.REVIEW_PREFLIGHT_PROBLEMS);
    assertThat((String) h.engine.getTaskService().getVariable(t.getId(), PreflightIds.VAR_PREFLIGHT_PROBLEMS_TEXT))
        .contains("no fresh heartbeat from any CSC");
  }

  @Test
  void aProcessCalledByARunIsNotCheckedAgain() {
    h.siteUp("tts");
    ProcessInstance pi = h.engine.getRuntimeService().startProcessInstanceByKey(
        org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds.KEY, "tts-recovery-test",
        Map.of(org.lsst.ts.upgrade.runbook.RunVariables.SITE, "tts", org.lsst.ts.upgrade.runbook.RunVariables.RUN_ID,
            "tts-recovery-test"));
    h.drive(Map.of());

    assertThat(pi).isEnded();
    // the recovery's own preflight, then minimal testing's, which its caller had done
    assertThat(h.passed(pi)).containsSubsequence(PreflightIds.APPROVE_PLAN,
        org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.CALL_PREFLIGHT, PreflightIds.END_CHECKED_BY_CALLER);
    assertThat(h.passed(pi).stream().filter(PreflightIds.APPROVE_PLAN::equals)).hasSize(1);
  }

  @Test
  void minimalTestingStartedOnItsOwnAbortedAtThePlanEnds() {
    h.siteUp("tts");
    ProcessInstance pi = h.engine.getRuntimeService().startProcessInstanceByKey(
        org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.KEY, "tts-minimal-test",
        Map.of(org.lsst.ts.upgrade.runbook.RunVariables.SITE, "tts", org.lsst.ts.upgrade.runbook.RunVariables.RUN_ID,
            "tts-minimal-test"));
    Task t = openTask(pi);
    assertThat(t.getTaskDefinitionKey()).isEqualTo(PreflightIds.APPROVE_PLAN);
    assertThat((String) h.engine.getTaskService().getVariable(t.getId(), PreflightIds.VAR_PLAN_SCRIPTS))
        .contains("ScriptQueue:2: auxtel/enable_atcs.py");
    h.engine.getTaskService().complete(t.getId(), Map.of(PreflightIds.VAR_PLAN_DECISION, "abort"));
    h.runJobs(400);

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(PreflightIds.END_PLAN_REJECTED,
        org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.END_MINIMAL_TESTING_ABORTED)
        .doesNotContain(org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.PLAN_MINIMAL_TESTING);
    verify(h.love, never()).addScript(anyString(), anyInt(), any());
  }
}
