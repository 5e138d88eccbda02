package org.lsst.ts.upgrade.runbook.recovery;

import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds;
import org.lsst.ts.upgrade.runbook.cleanup.CleanUpClusterIds;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.hosts.HostResult;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.mockito.ArgumentCaptor;

/** Engine-level tests of {@code os-k8s-recovery} with its called processes, capabilities mocked. */
class OsK8sRecoveryProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private ProcessInstance start(String site, String hostBackTimeout) {
    Map<String, Object> vars = new HashMap<>();
    vars.put(RunVariables.SITE, site);
    vars.put(RunVariables.RUN_ID, site + "-os-k8s-recovery-" + System.nanoTime());
    vars.put(RunVariables.STARTED_BY, "operator1");
    if (hostBackTimeout != null) {
      vars.put(RecoverSummitHostsIds.VAR_HOST_BACK_TIMEOUT, hostBackTimeout);
    }
    return h.engine.getRuntimeService().startProcessInstanceByKey(OsK8sRecoveryIds.KEY,
        (String) vars.get(RunVariables.RUN_ID), vars);
  }

  private List<String> activities(ProcessInstance pi) {
    return h.passed(pi);
  }

  @SuppressWarnings("unchecked")
  private <T> T variable(ProcessInstance pi, String name) {
    return (T) h.variable(pi, name);
  }

  @Test
  void theSummitStartsTheCriosRestartsAzar03AsksForMtm2EnabledAndTheHexrotRebootAndOnlyThenRebootsAzar02() {
    ProcessInstance pi = start("summit", null);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(OsK8sRecoveryIds.CLEANUP_JOBS_LEFT_RUNNING, OsK8sRecoveryIds.SYNC_PLATFORM_APPS,
        OsK8sRecoveryIds.SYNC_TELESCOPE_APPS, RecoverSummitHostsIds.START_CRIO_SERVICES, RecoverSummitHostsIds.RESTART_HOST_CSCS,
        RecoverSummitHostsIds.REBOOT_HOST, RecoverSummitHostsIds.CHECK_HOST_BACK, RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT,
        OsK8sRecoveryIds.AWAIT_CSCS_UP, OsK8sRecoveryIds.END_RECOVERY_DONE).doesNotContain(OsK8sRecoveryIds.MINIMAL_TESTING, RecoverSummitHostsIds.HOST_NOT_BACK, CleanUpClusterIds.REVIEW_LEFTOVERS);
    List<String> acts = activities(pi);
    assertThat(acts.indexOf(OsK8sRecoveryIds.SYNC_TELESCOPE_APPS)).isLessThan(acts.indexOf(RecoverSummitHostsIds.START_CRIO_SERVICES));
    assertThat(acts.indexOf(RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT))
        .isLessThan(acts.indexOf(RecoverSummitHostsIds.REBOOT_HOST));
    assertThat(acts.indexOf(RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT))
        .isLessThan(acts.indexOf(OsK8sRecoveryIds.AWAIT_CSCS_UP));

    // the cRIO services of MTM1M3, MTVMS:1, MTVMS:2 and MTM1M3TS: each cRIO host's startup commands
    // two host steps, detached and polled: the cRIOs' services, then azar03's restart
    assertThat(h.hostSteps()).hasSize(2);
    var started = h.hostSteps().get(0);
    var site = h.site("summit");
    assertThat(started).containsOnlyKeys("m1m3-crio-ss", "m1m3-crio-ts", "m1m3-crio-vms", "m2-crio-vms01");
    assertThat(started.get("m1m3-crio-ss")).extracting(HostCommand::template)
        .containsExactly("/etc/init.d/ts-M1M3support start");
    assertThat(started.get("m1m3-crio-ts")).extracting(HostCommand::template)
        .containsExactly("/etc/init.d/ts-m1m3thermal start");
    assertThat(started.get("m2-crio-vms01")).extracting(HostCommand::template)
        .containsExactly("/etc/init.d/ts-VMS start");
    // azar03: shutdown then startup; then azar02 rebooted and polled
    var azar03 = site.host("azar03").orElseThrow();
    var order = inOrder(h.cleanup, h.argo, h.hosts);
    order.verify(h.cleanup).cleanupAll("summit", false);
    order.verify(h.argo, atLeastOnce()).sync(eq("summit"), anyString());
    order.verify(h.hosts, atLeastOnce()).startDetached(eq("summit"), anyString(), startsWith("hoststep-crio-recovery-"), anyList());
    order.verify(h.hosts).startDetached(eq("summit"), eq("azar03"), startsWith("hoststep-restart-host-"), anyList());
    order.verify(h.hosts).reboot(eq("summit"), eq("azar02"), startsWith("reboot-azar02-"));
    order.verify(h.hosts).bootId("summit", "azar02");
    List<String> expected = new java.util.ArrayList<>(azar03.shutdown());
    expected.addAll(azar03.startup());
    assertThat(h.hostSteps().get(1)).containsOnlyKeys("azar03");
    assertThat(h.hostSteps().get(1).get("azar03").stream().map(HostCommand::template).toList()).containsExactlyElementsOf(expected)
        .isNotEmpty();
    verify(h.hosts, never()).reboot(eq("summit"), eq("azar03"), anyString());
    assertThat(this.<Object>variable(pi, RecoverSummitHostsIds.VAR_REBOOT_BOOT_ID)).isEqualTo(RunbookEngine.BOOT_BEFORE);
    assertThat(this.<Object>variable(pi, RecoverSummitHostsIds.VAR_REBOOT_HOST_RESULT)).asString().startsWith("azar02: ok");
    verify(h.hosts, never()).run(anyString(), anyString(), anyList());
    assertThat(this.<Object>variable(pi, RecoverSummitHostsIds.VAR_M2_ENABLED)).isEqualTo(true);
    // what kept running may still be ENABLED: working order too; held CSCs are up in any state (their
    // cRIOs' start brings them up in STANDBY), and are put back in their held state after the monitor
    assertThat(this.<List<Object>>variable(pi, RunVariables.MONITOR_EXPECTATIONS)).contains(
        "ATDome=STANDBY|DISABLED|ENABLED", "ESS:1=STANDBY|DISABLED|ENABLED", "MTM1M3TS=STANDBY|DISABLED|ENABLED",
        "MTM1M3=STANDBY|DISABLED|ENABLED", "ATCamera=ALIVE|OFFLINE|STANDBY|DISABLED|ENABLED");
  }

  @Test
  void theSummitRecoveryPutsTheHeldCscsBackEnablesTheEnableListAndVerifiesIt() {
    // the cRIOs' start brings MTM1M3 and MTM1M3TS up in STANDBY (as the twin's cRIOs do)
    doAnswer(inv -> {
      String host = inv.getArgument(1);
      if (host.equals("m1m3-crio-ts")) {
        h.states.put(org.lsst.ts.upgrade.site.CscId.of("MTM1M3TS"), org.lsst.ts.upgrade.site.SummaryState.STANDBY);
        h.states.put(org.lsst.ts.upgrade.site.CscId.of("MTM1M3"), org.lsst.ts.upgrade.site.SummaryState.STANDBY);
      }
      return new DetachedStatus(host, inv.getArgument(2), DetachedStatus.State.RUNNING, null, null);
    }).when(h.hosts).startDetached(eq("summit"), anyString(), startsWith("hoststep-crio-recovery-"), anyList());
    ProcessInstance pi = start("summit", null);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    List<String> acts = activities(pi);
    assertThat(acts).contains(OsK8sRecoveryIds.RESTORE_AND_ENABLE, OsK8sRecoveryIds.AWAIT_RESTORED, OsK8sRecoveryIds.END_RECOVERY_DONE)
        .doesNotContain(OsK8sRecoveryIds.REPORT_NOT_RESTORED);
    assertThat(acts.indexOf(OsK8sRecoveryIds.AWAIT_CSCS_UP)).isLessThan(acts.indexOf(OsK8sRecoveryIds.RESTORE_AND_ENABLE));
    ArgumentCaptor<ScriptRequest> c = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, atLeastOnce()).addScript(eq("summit"), anyInt(), c.capture());
    ScriptRequest restore = c.getAllValues().stream().filter(r -> r.tag() != null && r.tag().endsWith(":restore-and-enable"))
        .findFirst().orElseThrow();
    assertThat(restore.path()).isEqualTo("set_summary_state.py");
    @SuppressWarnings("unchecked")
    List<List<String>> data = (List<List<String>>) restore.config().get("data");
    assertThat(data.subList(0, 2)).containsExactlyInAnyOrder(List.of("MTM1M3TS", "ENABLED"), List.of("MTM1M3", "DISABLED"));
    assertThat(data).contains(List.of("Watcher", "ENABLED"), List.of("ESS:108", "ENABLED"));
    assertThat(h.states).containsEntry(org.lsst.ts.upgrade.site.CscId.of("MTM1M3TS"), org.lsst.ts.upgrade.site.SummaryState.ENABLED)
        .containsEntry(org.lsst.ts.upgrade.site.CscId.of("MTM1M3"), org.lsst.ts.upgrade.site.SummaryState.DISABLED)
        .containsEntry(org.lsst.ts.upgrade.site.CscId.of("Watcher"), org.lsst.ts.upgrade.site.SummaryState.ENABLED);
    assertThat(this.<Object>variable(pi, RunVariables.ENABLE_VERIFIED)).isEqualTo(true);
  }

  @Test
  void theTucsonTestStandReturnsEveryCscToEnabledAfterMaintenanceAndVerifiesIt() {
    // the TTS page: "all of the CSCs must be returned to ENABLED state" after a recovery from maintenance
    ProcessInstance pi = start("tts", null);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    ArgumentCaptor<ScriptRequest> c = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, atLeastOnce()).addScript(eq("tts"), anyInt(), c.capture());
    ScriptRequest restore = c.getAllValues().stream().filter(r -> r.tag() != null && r.tag().endsWith(":restore-and-enable"))
        .findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    List<List<String>> data = (List<List<String>>) restore.config().get("data");
    var site = h.sites.require("tts");
    // every CSC but the camera bridges (the camera team's) and those that enable themselves on start
    assertThat(data).contains(List.of("ATDome", "ENABLED"), List.of("Watcher", "ENABLED"), List.of("ATAOS", "ENABLED"))
        .noneMatch(d -> d.get(0).equals("ATCamera") || d.get(0).equals("CCCamera") || d.get(0).equals("ScriptQueue:1"))
        .allMatch(d -> d.get(1).equals("ENABLED"));
    List<String> expected = this.<List<String>>variable(pi, RunVariables.ENABLE_EXPECTATIONS);
    assertThat(expected).contains("ATDome=ENABLED", "ScriptQueue:1=ENABLED", "Watcher=ENABLED")
        .hasSize(site.cscs().size() - 2);
    assertThat(h.states).containsEntry(org.lsst.ts.upgrade.site.CscId.of("ATDome"), org.lsst.ts.upgrade.site.SummaryState.ENABLED)
        .containsEntry(org.lsst.ts.upgrade.site.CscId.of("ATAOS"), org.lsst.ts.upgrade.site.SummaryState.ENABLED);
    assertThat(this.<Object>variable(pi, RunVariables.ENABLE_VERIFIED)).isEqualTo(true);
  }

  @Test
  void aHeldCscThatDoesNotGoBackIsReportedOnSlack() {
    doAnswer(inv -> {
      h.applyScript(inv.getArgument(0), inv.getArgument(2));
      h.states.put(org.lsst.ts.upgrade.site.CscId.of("MTM1M3TS"), org.lsst.ts.upgrade.site.SummaryState.STANDBY);
      return h.scriptIndex.incrementAndGet();
    }).when(h.love).addScript(eq("summit"), anyInt(), argThat(r -> r != null && r.tag() != null
        && r.tag().endsWith(":restore-and-enable")));
    ProcessInstance pi = start("summit", null);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(activities(pi)).contains(OsK8sRecoveryIds.REPORT_NOT_RESTORED, OsK8sRecoveryIds.END_RECOVERY_DONE);
    verify(h.notifier).post(eq("summit"), org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.contains(
        "MTM1M3TS"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bts", "tts"})
  void testStandsSyncAndTestBothTelescopesWithoutTheSummitHostSteps(String site) {
    ProcessInstance pi = start(site, null);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(OsK8sRecoveryIds.CLEANUP_JOBS_LEFT_RUNNING, OsK8sRecoveryIds.SYNC_TELESCOPE_APPS,
        OsK8sRecoveryIds.AWAIT_CSCS_UP, OsK8sRecoveryIds.MINIMAL_TESTING, OsK8sRecoveryIds.END_RECOVERY_DONE).doesNotContain(RecoverSummitHostsIds.START_CRIO_SERVICES, RecoverSummitHostsIds.REBOOT_HOST,
            RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT);
    assertThat(this.<List<Object>>variable(pi, RunVariables.TELESCOPES)).containsExactly("auxtel", "maintel");
    ArgumentCaptor<ScriptRequest> c = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, atLeastOnce()).addScript(anyString(), anyInt(), c.capture());
    assertThat(c.getAllValues()).anyMatch(r -> r.path().startsWith("auxtel/")).anyMatch(r -> r.path().startsWith("maintel/"));
    verify(h.hosts, never()).reboot(anyString(), anyString(), anyString());
    verify(h.hosts, never()).run(anyString(), anyString(), anyList());
    assertThat(this.<Object>variable(pi, MinimalTestingIds.VAR_PASSED)).isEqualTo(true);
  }

  @Test
  void azar02NotComingBackGoesToAPersonWhoChecksAgain() {
    // down, then up with the boot id it had before the reboot (not back yet), then with a new one
    doReturn(Optional.empty(), Optional.of(RunbookEngine.BOOT_BEFORE), Optional.of(RunbookEngine.BOOT_AFTER))
        .when(h.hosts).bootId("summit", "azar02");
    ProcessInstance pi = start("summit", "PT0S");
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RecoverSummitHostsIds.HOST_NOT_BACK, RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT,
        OsK8sRecoveryIds.END_RECOVERY_DONE);
    assertThat(h.completedTasks).containsSubsequence(RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT,
        RecoverSummitHostsIds.HOST_NOT_BACK, RecoverSummitHostsIds.HOST_NOT_BACK);
  }

  @Test
  void azar02NotComingBackCanBeAborted() {
    doReturn(Optional.of(RunbookEngine.BOOT_BEFORE)).when(h.hosts).bootId("summit", "azar02");
    ProcessInstance pi = start("summit", "PT0S");
    h.drive(Map.of(RecoverSummitHostsIds.HOST_NOT_BACK, Map.of(RecoverSummitHostsIds.VAR_HOST_DECISION, Decisions.ABORT)));

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RecoverSummitHostsIds.HOST_NOT_BACK, OsK8sRecoveryIds.END_ABORTED_BY_OPERATOR).doesNotContain(OsK8sRecoveryIds.AWAIT_CSCS_UP, OsK8sRecoveryIds.END_RECOVERY_DONE);
    verify(h.notifier).post(eq("summit"), org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.contains(
        "was aborted by an operator"));
  }

  @Test
  void aFailedRebootIsAnIncidentNamingTheHost() {
    doAnswer(inv -> new RemoteHosts.Reboot(new HostResult("azar02", false, List.of(), "connection refused"), null, false))
        .when(h.hosts).reboot(eq("summit"), eq("azar02"), anyString());
    ProcessInstance pi = start("summit", null);
    h.drive(Map.of());

    assertThat(pi).isNotEnded();
    var incident = h.incident(pi);
    assertThat(incident.getActivityId()).isEqualTo(RecoverSummitHostsIds.REBOOT_HOST);
    assertThat(incident.getIncidentMessage()).contains("reboot azar02").contains("connection refused");
    assertThat(activities(pi)).contains(RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT);
  }

  @Test
  void theHexrotTaskShowsMtm2LiveAndCannotBeCompletedUntilKafkaSeesItEnabledAndAzar02WaitsForIt() {
    h.personActs.clear();
    ProcessInstance pi = start("summit", null);
    var task = h.driveUntilTask(RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT, Map.of());
    assertThat(h.engine.getTaskService().getVariableLocal(task.getId(), M2StateCheck.VAR_M2_STATE_TEXT))
        .asString().startsWith("MTM2 now: STANDBY");
    verify(h.hosts, never()).reboot(anyString(), eq("azar02"), anyString());

    // the box ticked, but MTM2 is still STANDBY on Kafka: refused, the task stays open
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.getTaskService().complete(task.getId(),
        Map.of(RecoverSummitHostsIds.VAR_M2_ENABLED, true))).hasMessageContaining("MTM2 is not ENABLED");
    assertThat(h.engine.getTaskService().createTaskQuery().taskId(task.getId()).count()).isEqualTo(1);

    h.states.put(M2StateCheck.MTM2, org.lsst.ts.upgrade.site.SummaryState.ENABLED);
    h.engine.getTaskService().complete(task.getId(), Map.of(RecoverSummitHostsIds.VAR_M2_ENABLED, true));
    h.drive(Map.of());
    assertThat(pi).isEnded();
    verify(h.hosts).reboot(eq("summit"), eq("azar02"), anyString());
  }

  @Test
  void jobsLeftRunningGoToAPersonAndAFailingMinimalTestingScriptEndsClearly() {
    doReturn(new CleanupReport(List.of(), List.of(), List.of("job/obssys/stuck"), false),
        new CleanupReport(List.of("job/obssys/stuck"), List.of(), List.of(), false))
        .when(h.cleanup).cleanupAll("tts", false);
    doAnswer(inv -> 990001).when(h.love).addScript(anyString(), anyInt(),
        argThat(r -> r != null && r.path().equals("maintel/track_target.py")));
    doAnswer(inv -> java.util.Optional.of(new org.lsst.ts.upgrade.love.ScriptOutcome(inv.getArgument(1), 990001,
        "maintel/track_target.py", "DONE", "FAILED", false, true, "tracking failed")))
        .when(h.love).outcome(anyString(), anyInt(), eq(990001));
    ProcessInstance pi = start("tts", null);
    h.drive(Map.of(CleanUpClusterIds.REVIEW_LEFTOVERS, Map.of(RunVariables.CLEANUP_DECISION, Decisions.RETRY)));

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(CleanUpClusterIds.REVIEW_LEFTOVERS, OsK8sRecoveryIds.END_MINIMAL_TESTING_FAILED).doesNotContain(OsK8sRecoveryIds.END_RECOVERY_DONE);
    verify(h.notifier).post(eq("tts"), org.mockito.ArgumentMatchers.isNull(), org.mockito.ArgumentMatchers.contains(
        "ended: Failed: minimal testing"));
    ArgumentCaptor<ScriptRequest> c = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, atLeastOnce()).addScript(anyString(), anyInt(), c.capture());
    List<String> paths = c.getAllValues().stream().map(ScriptRequest::path).toList();
    assertThat(paths.subList(paths.indexOf("maintel/track_target.py"), paths.size()))
        .contains("maintel/stop_tracking.py", "maintel/standby_mtcs.py");
  }
}
