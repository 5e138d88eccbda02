package org.lsst.ts.upgrade.runbook.fullupgrade;

import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.offline.SendCscsOfflineIds;
import org.lsst.ts.upgrade.runbook.cleanup.CleanUpClusterIds;
import org.lsst.ts.upgrade.runbook.hoststeps.RunHostCommandsIds;
import org.lsst.ts.upgrade.runbook.hoststeps.UpdateCriosIds;
import org.lsst.ts.upgrade.runbook.monitor.BringUpAndMonitorIds;
import org.lsst.ts.upgrade.runbook.schema.SchemaCompatibilityRelaxIds;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.runbook.sync.SyncAppIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.mockito.ArgumentCaptor;

/** Engine-level tests of {@code full-upgrade} and its called processes, capabilities mocked. */
class FullUpgradeProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private List<String> activities(ProcessInstance pi) {
    return h.passed(pi);
  }

  @SuppressWarnings("unchecked")
  private List<ScriptRequest> scripts() {
    ArgumentCaptor<ScriptRequest> c = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, atLeastOnce()).addScript(anyString(), anyInt(), c.capture());
    return c.getAllValues();
  }

  @ParameterizedTest
  @ValueSource(strings = {"summit", "tts", "bts"})
  void everySiteCompletesWithTheDefaultDecisions(String site) {
    h.siteUp(site);
    ProcessInstance pi = h.start(site, false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(FullUpgradeIds.SEND_CSCS_OFFLINE, ShutDownAndCleanUpIds.CLEANUP_KUBERNETES,
        ShutDownAndCleanUpIds.CLEANUP_NUBLADO, RedeployIds.SYNC_PLATFORM_APPS, RedeployIds.SYNC_SASQUATCH,
        RedeployIds.SYNC_TELESCOPE_APPS, BringUpAndMonitorIds.AWAIT_CSCS_UP, EnableAndCloseIds.ENABLE_SITE_CSCS,
        EnableAndCloseIds.ANNOUNCE_NUBLADO_AVAILABLE, EnableAndCloseIds.POST_SUMMARY, FullUpgradeIds.END_UPGRADE_DONE).doesNotContain(UpdateConfigurationIds.RELAX_SCHEMA_COMPATIBILITY, BringUpAndMonitorIds.REPORT_UNHEALTHY_CSCS,
            PrepareAndAnnounceIds.FIX_HELD_STATES);
    boolean summit = site.equals("summit");
    List<String> acts = activities(pi);
    assertThat(acts.contains(PrepareAndAnnounceIds.CONFIRM_M2_CLOSED_LOOP)).isEqualTo(summit);
    // every site checks its held CSCs; only the Summit has any
    assertThat(acts).contains(PrepareAndAnnounceIds.CHECK_HELD_STATES);
    assertThat(acts.contains(ShutDownAndCleanUpIds.SHUTDOWN_BARE_METAL)).isEqualTo(summit);
    assertThat(acts.contains(UpdateConfigurationIds.UPDATE_BARE_METAL_REPOS)).isEqualTo(summit);
    assertThat(acts.contains(RedeployIds.UPDATE_ESS_CONTROLLERS)).isEqualTo(summit);
    assertThat(acts.contains(UpdateCriosIds.START_CRIO_REBUILDS)).isEqualTo(summit);
    assertThat(acts.contains(BringUpAndMonitorIds.START_BARE_METAL)).isEqualTo(summit);
    assertThat(acts).contains(ShutDownAndCleanUpIds.STOP_CAMERA_BRIDGES, CameraServicesIds.CAMERA_STAGE1,
        CameraServicesIds.START_CAMERA_SERVICES, CameraServicesIds.NOTIFY_CAMERA_STAGE2);
    // the camera bridges stop before the Stage 1 notice; Stage 2 comes after the telescope apps
    assertThat(acts.indexOf(ShutDownAndCleanUpIds.STOP_CAMERA_BRIDGES)).isLessThan(acts.indexOf(ShutDownAndCleanUpIds.NOTIFY_CAMERA_STAGE1));
    assertThat(acts.indexOf(RedeployIds.SYNC_TELESCOPE_APPS)).isLessThan(acts.indexOf(CameraServicesIds.NOTIFY_CAMERA_STAGE2));

    // Watcher first (start_with), held CSCs ignored, the other queues in descending order, the running queue last
    List<ScriptRequest> scripts = scripts();
    ScriptRequest shutdown = scripts.get(0);
    assertThat(shutdown.path()).isEqualTo("system_wide_shutdown.py");
    assertThat(shutdown.config()).containsEntry("start_with", List.of("Watcher"));
    assertThat(shutdown.config().get("ignore")).isEqualTo(summit ? List.of("MTM1M3", "MTM1M3TS") : null);
    assertThat(scripts.get(1).config()).containsEntry("data", List.of(List.of("ScriptQueue:3", "OFFLINE"),
        List.of("ScriptQueue:2", "OFFLINE")));
    var order = inOrder(h.love);
    order.verify(h.love).addScript(eq(site), eq(1), argThat(r -> r.path().equals("system_wide_shutdown.py")));
    order.verify(h.love).addScript(eq(site), eq(1), argThat(r -> r.config().toString().contains("ScriptQueue:3")));
    order.verify(h.love).command(site, CscId.of("ScriptQueue", 1), "cmd_disable", Map.of());
    order.verify(h.love).command(site, CscId.of("ScriptQueue", 1), "cmd_standby", Map.of());
    order.verify(h.love).command(site, CscId.of("ScriptQueue", 1), "cmd_exitControl", Map.of());
    // the site's enable list at the end
    ScriptRequest enable = scripts.get(scripts.size() - 1);
    assertThat(enable.path()).isEqualTo("set_summary_state.py");
    assertThat(enable.config().get("data").toString()).contains("[Watcher, ENABLED]");

    // Argo CD order: science-platform, nublado, sasquatch, control-system-test, love, then the rest
    var argo = inOrder(h.argo);
    for (String app : List.of("science-platform", "nublado", "sasquatch", "control-system-test", "love", "obssys")) {
      argo.verify(h.argo).sync(site, app);
    }
    verify(h.registry, never()).setCompatibility(anyString(), anyString());
    verify(h.notifier).post(eq(site), any(), contains("starts now"));
    verify(h.notifier).post(eq(site), any(), contains("Nublado can be used again"));
    verify(h.notifier).post(eq(site), any(), contains("Stage 1"));
    verify(h.notifier).post(eq(site), any(), contains("Stage 2"));
    verify(h.notifier).post(eq(site), any(), argThat(t -> t.contains("finished") && t.contains("CSCs not healthy: none")));
    // the enable list verified: every CSC of it seen ENABLED
    assertThat(acts).contains(EnableAndCloseIds.AWAIT_SITE_CSCS_ENABLED).doesNotContain(EnableAndCloseIds.REPORT_NOT_ENABLED);
    assertThat(h.variable(pi, RunVariables.ENABLE_VERIFIED)).isEqualTo(true);
    verify(h.notifier).post(eq(site), any(), contains("CSCs not ENABLED at the end: none"));
  }

  @Test
  void aCscOfTheEnableListThatStaysBehindIsReportedOnSlackAndInTheSummary() {
    h.siteUp("summit");
    // the enable script "succeeds", but ESS:108 (not in the Watcher's list) stays in STANDBY
    org.mockito.Mockito.doAnswer(inv -> {
      h.applyScript(inv.getArgument(0), inv.getArgument(2));
      h.states.put(CscId.parse("ESS:108"), SummaryState.STANDBY);
      return h.scriptIndex.incrementAndGet();
    }).when(h.love).addScript(eq("summit"), anyInt(), argThat(r -> r != null && r.tag() != null && r.tag().endsWith(":enable")));
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(EnableAndCloseIds.ENABLE_SITE_CSCS, EnableAndCloseIds.AWAIT_SITE_CSCS_ENABLED,
        EnableAndCloseIds.REPORT_NOT_ENABLED, FullUpgradeIds.END_UPGRADE_DONE);
    assertThat(h.variable(pi, RunVariables.ENABLE_VERIFIED)).isEqualTo(false);
    assertThat(String.valueOf(h.variable(pi, RunVariables.NOT_ENABLED_CSCS))).contains("ESS:108").doesNotContain("ESS:109");
    var order = inOrder(h.notifier);
    order.verify(h.notifier).post(eq("summit"), any(), argThat(t -> t.contains("not in their final state after the enable script")
        && t.contains("ESS:108")));
    order.verify(h.notifier).post(eq("summit"), any(), argThat(t -> t.contains("finished")
        && t.contains("CSCs not ENABLED at the end: ESS:108")));
  }

  @Test
  void summitHostStepsComeFromTheSiteFileAndSpareTheHeldCrios() {
    h.siteUp("summit");
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of());
    assertThat(pi).isEnded();
    var all = h.hostSteps();
    assertThat(all.get(0).keySet()).containsExactlyInAnyOrder("auxtel-mcm", "comcam-mcm", "lsstcam-mcm");
    var shutdown = all.stream().filter(p -> p.containsKey("azar03")).findFirst().orElseThrow();
    assertThat(shutdown.keySet()).contains("azar03", "m1m3-crio-vms", "m2-crio-vms01", "vms-data", "flat-fiberspecred",
        "flat-fiberspecblue", "auxtel-ill-control", "love01").doesNotContain("m1m3-crio-ss", "m1m3-crio-ts", "tel-hw1");
    assertThat(shutdown.get("love01")).extracting(HostCommand::template).containsExactly("sudo -iu dco ./shutdown_love");
    var repos = all.stream().filter(p -> p.containsKey("love01") && p.containsKey("tel-hw1")).findFirst().orElseThrow();
    assertThat(repos.get("love01")).containsExactly(new HostCommand("sudo -iu dco ./update_repo {repo} {branch}",
        Map.of("repo", "LOVE-integration-tools", "branch", "cycle40")));
    assertThat(repos).containsKey("tel-hw1").doesNotContainKey("hexrot-ess01");
    // bare-metal LOVE starts again only after LOVE-integration-tools was updated
    var startup = all.stream().filter(p -> p.containsKey("love01") && p.get("love01").stream()
        .anyMatch(c -> c.template().equals("sudo -iu dco ./launch_love"))).findFirst().orElseThrow();
    assertThat(all.indexOf(startup)).isGreaterThan(all.indexOf(repos));
    var ess = all.stream().filter(p -> p.containsKey("laser-rpi")).findFirst().orElseThrow();
    assertThat(ess.get("laser-rpi")).extracting(HostCommand::template).containsExactly(
        "sudo -iu dco ./shutdown_ess", "sudo -iu dco ./shutdown_audiotrigger", "sudo -iu dco ./update_repo {repo} {branch}",
        "sudo -iu dco ./launch_ess", "sudo -iu dco ./launch_audiotrigger");
    // each host step's result stays in the history, per host
    assertThat(h.engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceIdIn(h.tree(pi).toArray(String[]::new))
        .variableName(RunVariables.HOST_STEP_RESULT).list()).extracting(x -> x.getValue().toString())
        .anySatisfy(x -> assertThat(x).contains("azar03: SUCCEEDED", "love01: SUCCEEDED"));
    verify(h.hosts).startDetached(eq("summit"), eq("m1m3-crio-vms"), startsWith("crio-rebuild-"), anyList());
    verify(h.hosts, never()).startDetached(eq("summit"), eq("m1m3-crio-ts"), startsWith("crio-rebuild-"), anyList());
    // ... but not silently: the people responsible update them, and the run waits for them before the monitor
    List<String> acts = activities(pi);
    assertThat(acts).contains(UpdateCriosIds.UPDATE_HELD_CRIOS);
    assertThat(acts.indexOf(UpdateCriosIds.UPDATE_HELD_CRIOS)).isLessThan(acts.indexOf(BringUpAndMonitorIds.AWAIT_CSCS_UP));
  }

  @Test
  void theHeldCriosAreInThePlanWithTheirExactCommandsAndTheirTaskMustBeConfirmed() {
    var site = h.site("summit");
    assertThat(org.lsst.ts.upgrade.runbook.SitePlan.heldCrios(site)).extracting(org.lsst.ts.upgrade.site.Site.Host::name)
        .containsExactly("m1m3-crio-ss", "m1m3-crio-ts");
    assertThat(org.lsst.ts.upgrade.runbook.SitePlan.heldCrios(h.site("tts"))).isEmpty();
    h.siteUp("summit");
    ProcessInstance pi = h.start("summit", false);
    var task = h.driveUntilTask(UpdateCriosIds.UPDATE_HELD_CRIOS, Map.of());
    String text = String.valueOf(h.engine.getTaskService().getVariable(task.getId(), RunVariables.HELD_CRIOS_TEXT));
    assertThat(text).contains("m1m3-crio-ss.cp.lsst.org", "m1m3-crio-ts.cp.lsst.org", "/etc/init.d/ts-M1M3support stop",
        "salgeneratorKafka generate cpp MTM1M3TS", "cd ts_m1m3thermal && git pull && make clean && make",
        "/etc/init.d/ts-m1m3thermal start", "MTM1M3TS ENABLED", "MTM1M3 DISABLED");
    assertThat(h.waitingAt(pi)).doesNotContain(BringUpAndMonitorIds.AWAIT_CSCS_UP);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.getTaskService().complete(task.getId(), Map.of()))
        .hasMessageContaining("heldCriosUpdated");
    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.HELD_CRIOS_UPDATED, true));
    h.drive(Map.of());
    assertThat(pi).isEnded();
  }

  @Test
  void breakingChangeRelaxesAndRestoresTheRecordedCompatibility() {
    h.siteUp("tts");
    h.compatibility = "BACKWARD";
    ProcessInstance pi = h.start("tts", true);
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(UpdateConfigurationIds.RELAX_SCHEMA_COMPATIBILITY, EnableAndCloseIds.RESTORE_SCHEMA_COMPATIBILITY);
    var order = inOrder(h.registry);
    // read by the preflight, then recorded before it is relaxed
    order.verify(h.registry, org.mockito.Mockito.times(2)).compatibility("tts");
    order.verify(h.registry).setCompatibility("tts", "NONE");
    order.verify(h.registry).setCompatibility("tts", "BACKWARD");
    assertThat(h.compatibility).isEqualTo("BACKWARD");
    verify(h.notifier).post(eq("tts"), any(), contains("was BACKWARD, not FORWARD"));
    // restored once: the end listener found nothing left to do
    verify(h.registry, times(2)).setCompatibility(anyString(), anyString());
  }

  @Test
  void aScriptThatNeverEndsFailsAtItsDeadlineInsteadOfStallingTheRun() {
    h.siteUp("tts");
    Map<Integer, ScriptRequest> added = new java.util.concurrent.ConcurrentHashMap<>();
    org.mockito.Mockito.doAnswer(inv -> {
      ScriptRequest r = inv.getArgument(2);
      h.applyScript(inv.getArgument(0), r);
      int index = h.scriptIndex.incrementAndGet();
      added.put(index, r);
      return index;
    }).when(h.love).addScript(anyString(), anyInt(), any());
    // the enable script hangs: every look at it finds it running, and 31 minutes have gone by
    org.mockito.Mockito.doAnswer(inv -> {
      ScriptRequest r = added.get((Integer) inv.getArgument(2));
      if (r.path().equals(ScriptConfigs.SET_SUMMARY_STATE) && r.config().toString().contains("ENABLED")) {
        ClockUtil.setCurrentTime(new java.util.Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(31).toMillis()));
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new ScriptOutcome(inv.getArgument(1), inv.getArgument(2), r.path(), "DONE", "DONE",
          true, false, ""));
    }).when(h.love).outcome(anyString(), anyInt(), anyInt());
    // the CSCs it should have enabled stay as they are: time goes by while the run awaits them
    org.mockito.Mockito.doAnswer(inv -> {
      ClockUtil.setCurrentTime(new java.util.Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(1).toMillis()));
      java.util.Collection<CscId> ids = inv.getArgument(1);
      return ids.stream().map(h::status).toList();
    }).when(h.cscStates).statusOf(anyString(), any());
    try {
      ProcessInstance pi = h.start("tts", false);
      h.drive(Map.of());
      assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(EnableAndCloseIds.ENABLE_SITE_CSCS, EnableAndCloseIds.POST_SUMMARY,
          FullUpgradeIds.END_UPGRADE_DONE);
      verify(h.notifier).post(eq("tts"), any(), argThat(t -> t.contains("scripts failed: ")
          && t.contains("did not end within PT30M") && t.contains("it was stopped (cmd_stopScripts)")));
      // the hung enable script was stopped, so nothing queued after it waits behind it
      List<Integer> hung = added.entrySet().stream().filter(e -> e.getValue().path().equals(ScriptConfigs.SET_SUMMARY_STATE)
          && e.getValue().config().toString().contains("ENABLED")).map(Map.Entry::getKey).toList();
      verify(h.love, atLeastOnce()).stopScript(eq("tts"), anyInt(), org.mockito.ArgumentMatchers.intThat(hung::contains));
    } finally {
      ClockUtil.reset();
    }
  }

  @Test
  void aConfirmationCannotBeCompletedUnticked() {
    h.siteUp("tts");
    ProcessInstance pi = h.start("tts", false);
    var task = h.driveUntilTask(UpdateConfigurationIds.CONFIRM_PHALANX_MERGED, Map.of());

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.getTaskService().complete(task.getId(),
            Map.of(RunVariables.PHALANX_MERGED, false)))
        .isInstanceOf(org.camunda.bpm.engine.ProcessEngineException.class)
        .hasMessageContaining("cannot be completed without confirming it").hasMessageContaining("phalanxMerged");
    assertThat(h.engine.getTaskService().createTaskQuery().taskId(task.getId()).count()).isEqualTo(1);

    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.PHALANX_MERGED, true));
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(FullUpgradeIds.END_UPGRADE_DONE);
  }

  @Test
  void noticesThatSlackDidNotTakeAreRecordedAndTheRunGoesOn() {
    h.siteUp("bts");
    org.mockito.Mockito.doAnswer(inv -> new org.lsst.ts.upgrade.chat.Notifier.Delivery(null, "#bts", false,
        "ratelimited; retrying in the background")).when(h.notifier).post(anyString(), any(), anyString());
    ProcessInstance pi = h.start("bts", false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(EnableAndCloseIds.POST_SUMMARY, FullUpgradeIds.END_UPGRADE_DONE);
    assertThat(h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(RunVariables.UNDELIVERED_NOTICES).singleResult().getValue().toString())
        .contains("START (ratelimited; retrying in the background)", "CAMERA_STAGE1", "NUBLADO_AVAILABLE");
    verify(h.notifier).post(eq("bts"), any(), argThat(t -> t.contains("finished")
        && t.contains("notices not delivered: START (ratelimited; retrying in the background)")));
  }

  @Test
  void cancellationFromCockpitRestoresTheCompatibility() {
    h.siteUp("bts");
    ProcessInstance pi = h.start("bts", true);
    h.driveUntilTask(RedeployIds.CONFIRM_SASQUATCH_SYNC, Map.of());
    assertThat(h.compatibility).isEqualTo("NONE");
    // Cockpit's cancel dialog skips custom listeners by default: the restore still happens
    h.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "cancelled from Cockpit", true);
    assertThat(pi).isEnded();
    assertThat(h.compatibility).isEqualTo("FORWARD");
    verify(h.notifier).post(eq("bts"), any(), contains("was cancelled: the schema registry's compatibility was restored to FORWARD"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"summit", "tts", "bts"})
  void cancellationWhileSettingNoneIsStuckRestoresTheCompatibility(String site) {
    h.siteUp(site);
    // the registry changes to NONE, but its answer is lost: the relax step fails until it is an incident
    org.mockito.Mockito.doAnswer(inv -> {
      h.compatibility = inv.getArgument(1);
      if (h.compatibility.equals("NONE")) {
        throw new IllegalStateException("read timed out");
      }
      return h.compatibility;
    }).when(h.registry).setCompatibility(anyString(), anyString());
    ProcessInstance pi = h.start(site, true);
    h.drive(Map.of());
    assertThat(h.engine.getRuntimeService().createIncidentQuery().activityId(SchemaCompatibilityRelaxIds.RELAX_COMPATIBILITY).count())
        .isEqualTo(1);
    assertThat(h.compatibility).isEqualTo("NONE");

    h.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "cancelled from Cockpit", true);

    assertThat(pi).isEnded();
    assertThat(h.compatibility).isEqualTo("FORWARD");
    verify(h.notifier).post(eq(site), any(), contains("was cancelled: the schema registry's compatibility was restored to FORWARD"));
  }

  @Test
  void cancellationWhileTheRegistryIsDownStillCancelsAndSaysSo() {
    h.siteUp("bts");
    ProcessInstance pi = h.start("bts", true);
    h.driveUntilTask(RedeployIds.CONFIRM_SASQUATCH_SYNC, Map.of());
    org.mockito.Mockito.doThrow(new IllegalStateException("registry down")).when(h.registry).setCompatibility(anyString(), anyString());
    h.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "cancelled");
    assertThat(pi).isEnded();
    verify(h.notifier).post(eq("bts"), any(), contains("could not be restored to FORWARD"));
  }

  @Test
  void errorEndRestoresTheCompatibility() {
    h.siteUp("tts");
    when(h.argo.progress(anyString(), eq("love"), any())).thenReturn(
        new SyncProgress(SyncProgress.State.FAILED, "ImagePullBackOff", null));
    ProcessInstance pi = h.start("tts", true);
    h.drive(Map.of(SyncAppIds.HANDLE_SYNC_FAILURE, Map.of(RunVariables.SYNC_DECISION, Decisions.ABORT)));
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(FullUpgradeIds.ANNOUNCE_ABORTED, FullUpgradeIds.END_UPGRADE_ABORTED).doesNotContain(FullUpgradeIds.END_UPGRADE_DONE);
    assertThat(h.completedTasks).contains(SyncAppIds.HANDLE_SYNC_FAILURE);
    assertThat(h.compatibility).isEqualTo("FORWARD");
    verify(h.notifier).post(eq("tts"), any(), contains("aborted"));
  }

  @Test
  void aCscThatWillNotGoOfflineReachesAPersonAndIsRecordedAsHandledByHand() {
    h.siteUp("summit");
    h.ignoresOffline.add(CscId.of("ATMCS"));
    ProcessInstance pi = h.start("summit", false);
    var task = h.driveUntilTask(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE, Map.of());
    String text = (String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.AWAIT_LAGGARDS_TEXT);
    assertThat(text).contains("ATMCS").contains("reported STANDBY").contains("heartbeat").doesNotContain("ATDome");
    // "check again" polls again; then the default answer records it as handled by hand
    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.STILL_ALIVE_DECISION, Decisions.CHECK_AGAIN));
    h.drive(Map.of(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE, Map.of(RunVariables.STILL_ALIVE_NOTE, "exitControl from LOVE")));
    assertThat(pi).isEnded();
    assertThat(h.completedTasks).containsOnlyOnce(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE);
    assertThat((List<String>) h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(RunVariables.CSCS_HANDLED_BY_HAND).singleResult().getValue())
        .singleElement().asString().startsWith("ATMCS").endsWith("exitControl from LOVE");
    verify(h.notifier).post(eq("summit"), any(), contains("sent OFFLINE by hand: ATMCS"));
    // it was retried by script first, while the queues still ran
    var order = inOrder(h.love);
    order.verify(h.love).addScript(eq("summit"), eq(1), argThat(r -> r.tag() != null && r.tag().endsWith(":stragglers-offline")
        && r.config().get("data").equals(List.of(List.of("ATMCS", "OFFLINE")))));
    order.verify(h.love).addScript(eq("summit"), eq(1), argThat(r -> r.tag() != null && r.tag().endsWith(":queues-offline")));
  }

  @Test
  void aStragglerOfTheShutdownScriptIsRetriedBySetSummaryStateWhileTheQueuesRunAndNobodyIsAsked() {
    h.siteUp("summit");
    // system_wide_shutdown.py leaves ATMCS in STANDBY; set_summary_state.py gets it OFFLINE
    org.mockito.Mockito.doAnswer(inv -> {
      h.applyScript(inv.getArgument(0), inv.getArgument(2));
      h.states.put(CscId.of("ATMCS"), SummaryState.STANDBY);
      return h.scriptIndex.incrementAndGet();
    }).when(h.love).addScript(eq("summit"), anyInt(), argThat(r -> r != null && r.path().equals(ScriptConfigs.SYSTEM_WIDE_SHUTDOWN)));
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(SendCscsOfflineIds.PLAN_STRAGGLER_RETRY, SendCscsOfflineIds.RETRY_STRAGGLERS);
    assertThat(h.completedTasks).doesNotContain(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE);
    assertThat(h.variable(pi, RunVariables.STRAGGLERS_RETRIED)).asList().containsExactly("ATMCS");
    List<ScriptRequest> scripts = scripts();
    assertThat(scripts.get(1).tag()).endsWith(":stragglers-offline");
    assertThat(scripts.get(2).tag()).endsWith(":queues-offline");
  }

  @Test
  void aDeadCameraBridgeDoesNotPassTheMonitorAsOffline() {
    h.siteUp("summit");
    // ATCamera reports nothing and has no heartbeat (its bridge was never started): effective OFFLINE
    org.mockito.Mockito.doAnswer(inv -> {
      java.util.Collection<CscId> ids = inv.getArgument(1);
      return ids.stream().map(id -> id.equals(CscId.of("ATCamera"))
          ? new org.lsst.ts.upgrade.csc.CscStatus(id, SummaryState.OFFLINE, null, SummaryState.OFFLINE, java.time.Instant.now())
          : h.status(id)).toList();
    }).when(h.cscStates).statusOf(anyString(), any());
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(BringUpAndMonitorIds.REPORT_UNHEALTHY_CSCS);
    assertThat(String.valueOf(h.variable(pi, RunVariables.UNHEALTHY_CSCS))).contains("ATCamera (expected alive, OFFLINE or STANDBY)");
    assertThat(org.lsst.ts.upgrade.runbook.SitePlan.monitorExpectations(h.site("summit")))
        .contains("ATCamera=ALIVE|OFFLINE|STANDBY", "CCCamera=ALIVE|OFFLINE|STANDBY", "MTCamera=ALIVE|OFFLINE|STANDBY");
  }

  @Test
  void anAliveCameraBridgeInOfflineAvailablePasses() {
    h.siteUp("summit");
    // OFFLINE_AVAILABLE: reported OFFLINE, heartbeating
    org.mockito.Mockito.doAnswer(inv -> {
      java.util.Collection<CscId> ids = inv.getArgument(1);
      return ids.stream().map(id -> id.equals(CscId.of("ATCamera"))
          ? new org.lsst.ts.upgrade.csc.CscStatus(id, SummaryState.OFFLINE, Duration.ofMillis(500), SummaryState.OFFLINE,
              java.time.Instant.now())
          : h.status(id)).toList();
    }).when(h.cscStates).statusOf(anyString(), any());
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).doesNotContain(BringUpAndMonitorIds.REPORT_UNHEALTHY_CSCS);
  }

  @Test
  void thePhalanxRefIsResolvedByArgoCdBeforeTheMergeIsConfirmedAndAMissingOneIsAnIncidentNamingIt() {
    h.siteUp("tts");
    ProcessInstance pi = h.start("tts", false);
    var task = h.driveUntilTask(UpdateConfigurationIds.CONFIRM_PHALANX_MERGED, Map.of());
    assertThat(String.valueOf(h.engine.getTaskService().getVariable(task.getId(), RunVariables.PHALANX_REF_TEXT)))
        .contains("tickets/DM-12345", "resolves", "Merge tickets/DM-12345");
    verify(h.argo).revision("tts", CheckPhalanxRef.PHALANX_REPO, "tickets/DM-12345");

    h.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "next");
    when(h.argo.revision(anyString(), anyString(), eq("tickets/DM-12345"))).thenReturn(java.util.Optional.empty());
    // the site as it was before the first run (whose CSCs went OFFLINE): the preflight finds fresh heartbeats
    h.siteUp("tts");
    ProcessInstance missing = h.start("tts", false);
    h.drive(Map.of());
    assertThat(missing).isNotEnded();
    assertThat(h.incident(missing)).satisfies(i -> {
      assertThat(i.getActivityId()).isEqualTo(UpdateConfigurationIds.CHECK_PHALANX_REF);
      assertThat(i.getIncidentMessage()).contains("Phalanx ref 'tickets/DM-12345' does not exist");
    });
    verify(h.argo, never()).sync(anyString(), anyString());
  }

  @Test
  void theSasquatchTaskShowsArgoCdsPendingDiff() {
    h.siteUp("tts");
    when(h.argo.pendingChanges("tts", "sasquatch")).thenReturn(List.of(new org.lsst.ts.upgrade.argocd.ArgoCd.ResourceDiff(
        "ConfigMap", "sasquatch", "sasquatch-kafka-connect", "{\"tasks.max\":\"4\"}", "{\"tasks.max\":\"8\"}")));
    h.start("tts", false);
    var task = h.driveUntilTask(RedeployIds.CONFIRM_SASQUATCH_SYNC, Map.of());
    assertThat(String.valueOf(h.engine.getTaskService().getVariable(task.getId(), RunVariables.SASQUATCH_DIFF_TEXT)))
        .contains("would change 1 resource", "ConfigMap sasquatch/sasquatch-kafka-connect", "- live:   {\"tasks.max\":\"4\"}",
            "+ target: {\"tasks.max\":\"8\"}");
  }

  @Test
  void theStillAliveTaskHasNoDefaultDecision() throws Exception {
    var form = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Path.of("forms/cscs-still-alive.form").toFile());
    assertThat(form.findParents("key")).filteredOn(c -> c.get("key").asText().equals(RunVariables.STILL_ALIVE_DECISION))
        .singleElement().satisfies(c -> assertThat(c.has("defaultValue")).isFalse());
  }

  @Test
  void aVanishedCscCountsAsOffline() {
    h.siteUp("summit");
    // ATPtg still reports STANDBY but has no heartbeat: effective OFFLINE
    org.mockito.Mockito.doAnswer(inv -> {
      java.util.Collection<CscId> ids = inv.getArgument(1);
      return ids.stream().map(id -> id.equals(CscId.of("ATPtg")) && h.states.get(id) == SummaryState.OFFLINE
          ? new org.lsst.ts.upgrade.csc.CscStatus(id, SummaryState.STANDBY, java.time.Duration.ofSeconds(40),
              SummaryState.OFFLINE, java.time.Instant.now())
          : h.status(id)).toList();
    }).when(h.cscStates).statusOf(anyString(), any());
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.completedTasks).doesNotContain(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE);
  }

  @Test
  void monitorTimeoutReportsTheBrokenCscsAndAsksToContinue() {
    h.siteUp("tts");
    org.mockito.Mockito.doReturn(org.lsst.ts.upgrade.argocd.ArgoCd.SyncStart.STARTED).when(h.argo).sync(anyString(), anyString());
    ProcessInstance pi = h.start("tts", false);
    // nothing comes back up: every CSC is reported once the monitor's time is over
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(BringUpAndMonitorIds.REPORT_UNHEALTHY_CSCS, BringUpAndMonitorIds.CONTINUE_AFTER_MONITOR,
        FullUpgradeIds.END_UPGRADE_DONE);
    verify(h.notifier).post(eq("tts"), any(), argThat(t -> t.contains("not in working order") && t.contains("ATDome")));
    verify(h.notifier).post(eq("tts"), any(), argThat(t -> t.contains("CSCs not healthy: ATAOS")));
  }

  @Test
  void sasquatchCanBeSkippedAndEssAndCriosMarkedDone() {
    h.siteUp("summit");
    ProcessInstance pi = h.start("summit", false);
    h.drive(Map.of(
        RedeployIds.CONFIRM_SASQUATCH_SYNC, Map.of(RunVariables.SYNC_SASQUATCH, false),
        RedeployIds.CHOOSE_CONTROLLER_UPDATES, Map.of(RunVariables.UPDATE_ESS_CONTROLLERS, false,
            RunVariables.UPDATE_CRIOS, false),
        EnableAndCloseIds.DECIDE_INTEGRATION_TESTING, Map.of(RunVariables.INTEGRATION_TESTING_NEXT, true)));
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).doesNotContain(RedeployIds.SYNC_SASQUATCH, RedeployIds.UPDATE_ESS_CONTROLLERS,
        UpdateCriosIds.START_CRIO_REBUILDS, EnableAndCloseIds.ANNOUNCE_NUBLADO_AVAILABLE);
    verify(h.argo, never()).sync("summit", "sasquatch");
    verify(h.hosts, never()).startDetached(anyString(), anyString(), startsWith("crio-rebuild-"), anyList());
    verify(h.notifier, never()).post(anyString(), any(), contains("Nublado can be used again"));
  }

  @Test
  void heldStatesWrongNeedAFixOrAnOverrideWithAReason() {
    h.siteUp("summit");
    h.states.put(CscId.of("MTM1M3TS"), SummaryState.STANDBY);
    ProcessInstance pi = h.start("summit", false);
    var task = h.driveUntilTask(PrepareAndAnnounceIds.FIX_HELD_STATES, Map.of());
    assertThat((String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.HELD_STATES_TEXT))
        .contains("MTM1M3TS must be ENABLED: reported STANDBY");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.getTaskService().complete(task.getId(),
            Map.of(RunVariables.HELD_STATES_DECISION, Decisions.OVERRIDE, RunVariables.HELD_STATES_OVERRIDE_REASON, " ")))
        .hasMessageContaining("a reason is required");
    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.HELD_STATES_DECISION, Decisions.OVERRIDE,
        RunVariables.HELD_STATES_OVERRIDE_REASON, "TS cRIO under maintenance"));
    h.drive(Map.of());
    assertThat(pi).isEnded();
    verify(h.notifier).post(eq("summit"), any(), contains("held-state check overridden: TS cRIO under maintenance"));
  }

  @Test
  void heldStatesFixedByHandPassOnCheckAgain() {
    h.siteUp("summit");
    h.states.put(CscId.of("MTM1M3"), SummaryState.STANDBY);
    ProcessInstance pi = h.start("summit", false);
    var task = h.driveUntilTask(PrepareAndAnnounceIds.FIX_HELD_STATES, Map.of());
    h.states.put(CscId.of("MTM1M3"), SummaryState.DISABLED);
    h.engine.getTaskService().complete(task.getId(), h.answers(task));
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.completedTasks).doesNotContain(PrepareAndAnnounceIds.FIX_HELD_STATES);
  }

  @Test
  void cleanupLeftoversGoToAPersonAndARetryClearsThem() {
    h.siteUp("tts");
    when(h.cleanup.cleanupAll(anyString(), eq(false)))
        .thenReturn(new CleanupReport(List.of(), List.of(), List.of("job/auxtel/atdome-sim"), false))
        .thenReturn(new CleanupReport(List.of(), List.of("job/auxtel/atdome-sim"), List.of(), false));
    ProcessInstance pi = h.start("tts", false);
    var task = h.driveUntilTask(CleanUpClusterIds.REVIEW_LEFTOVERS, Map.of());
    assertThat((String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.CLEANUP_LEFTOVERS_TEXT))
        .contains("job/auxtel/atdome-sim");
    h.drive(Map.of());
    assertThat(pi).isEnded();
    verify(h.cleanup, times(2)).cleanupAll("tts", false);
  }

  @Test
  void aFailedCrioRebuildCanBeRetried() {
    h.siteUp("summit");
    when(h.hosts.detachedStatus(anyString(), anyString(), anyString())).thenAnswer(inv -> {
      String job = inv.getArgument(2);
      boolean fails = job.startsWith("crio-rebuild-") && job.endsWith("-0");
      return new DetachedStatus(inv.getArgument(1), job, fails ? DetachedStatus.State.FAILED
          : DetachedStatus.State.SUCCEEDED, fails ? 2 : 0, "make: *** error");
    });
    ProcessInstance pi = h.start("summit", false);
    var task = h.driveUntilTask(UpdateCriosIds.HANDLE_CRIO_REBUILD_FAILURE, Map.of());
    assertThat((String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.CRIO_FAILURE_TEXT))
        .contains("m1m3-crio-vms").contains("make: *** error");
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(UpdateCriosIds.START_CRIOS);
    verify(h.hosts, atLeastOnce()).startDetached(eq("summit"), eq("m1m3-crio-vms"), argThat(j -> j.endsWith("-1")), anyList());
  }

  /** The camera bridges' stop fails on auxtel-mcm (its first attempt, or every one), and works on comcam-mcm. */
  private void cameraBridgeStopFailsOnAuxtelMcm(boolean everyAttempt) {
    when(h.hosts.detachedStatus(anyString(), anyString(), anyString())).thenAnswer(inv -> {
      String host = inv.getArgument(1);
      String job = inv.getArgument(2);
      boolean fails = host.equals("auxtel-mcm") && job.startsWith("hoststep-camera-shutdown-")
          && (everyAttempt || job.endsWith("-0"));
      return new DetachedStatus(host, job, fails ? DetachedStatus.State.FAILED : DetachedStatus.State.SUCCEEDED,
          fails ? 1 : 0, fails ? "Failed to stop ocs-bridge: connection refused" : "done");
    });
  }

  @Test
  void aHostThatFailsGoesToAPersonNamingTheHostAndRetryRunsThatHostAgain() {
    h.siteUp("tts");
    cameraBridgeStopFailsOnAuxtelMcm(false);
    ProcessInstance pi = h.start("tts", false);
    var task = h.driveUntilTask(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE, Map.of());
    assertThat(h.incident(pi)).as("a failed host is no incident: a person decides").isNull();
    String text = (String) h.engine.getTaskService().getVariable(task.getId(), RunHostCommandsIds.VAR_HOST_STEP_FAILURE_TEXT);
    assertThat(text).contains("Stop the camera OCS bridges (CAMERA_SHUTDOWN) failed on 1 of 2 host(s): auxtel-mcm")
        .contains("**auxtel-mcm**: failed, exit 1").contains("Failed to stop ocs-bridge: connection refused")
        .contains("Done: comcam-mcm");
    verify(h.hosts, never()).startDetached(eq("tts"), eq("auxtel-mcm"), argThat(j -> j.startsWith("hoststep-camera-shutdown-")
        && j.endsWith("-1")), anyList());

    // retry: auxtel-mcm's commands run again (a new job), comcam-mcm's do not, and the run goes on
    h.engine.getTaskService().complete(task.getId(), Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.RETRY));
    h.drive(Map.of());
    assertThat(pi).isEnded();
    verify(h.hosts).startDetached(eq("tts"), eq("auxtel-mcm"), argThat(j -> j.startsWith("hoststep-camera-shutdown-")
        && j.endsWith("-1")), anyList());
    verify(h.hosts, never()).startDetached(eq("tts"), eq("comcam-mcm"), argThat(j -> j.endsWith("-1")), anyList());
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.RUN_FAILED_HOSTS_AGAIN, RunHostCommandsIds.END_HOST_STEP_DONE,
        ShutDownAndCleanUpIds.END_CLEANED_UP, FullUpgradeIds.END_UPGRADE_DONE);
    verify(h.notifier, never()).post(eq("tts"), any(), contains("done by hand"));
  }

  @Test
  void aHostStepDoneByHandIsInTheSummaryAndTheRunGoesOn() {
    h.siteUp("tts");
    cameraBridgeStopFailsOnAuxtelMcm(true);
    ProcessInstance pi = h.start("tts", false);
    var task = h.driveUntilTask(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE, Map.of());
    // "done by hand" needs its note
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.engine.getTaskService().complete(task.getId(),
        Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, Decisions.HANDLED_BY_HAND)))
        .hasMessageContaining("without a note");
    h.engine.getIdentityService().setAuthenticatedUserId("operator1");
    try {
      h.engine.getTaskService().complete(task.getId(), Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION,
          Decisions.HANDLED_BY_HAND, RunHostCommandsIds.VAR_HOST_STEP_BY_HAND_NOTE, "stopped the bridge with docker stop"));
    } finally {
      h.engine.getIdentityService().clearAuthentication();
    }
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(RunHostCommandsIds.END_HOST_STEP_DONE_BY_HAND, FullUpgradeIds.END_UPGRADE_DONE);
    verify(h.notifier).post(eq("tts"), any(), argThat(t -> t.contains("host steps done by hand: Stop the camera OCS"
        + " bridges (CAMERA_SHUTDOWN) on auxtel-mcm, by operator1 — stopped the bridge with docker stop")));
    // later stages handed their copies back to the run: the line is still there at the end
    assertThat((String) h.historicVariable(pi, RunVariables.HOST_STEPS_BY_HAND)).contains("by operator1");
  }

  @Test
  void anOperatorAbortsTheRunAtAFailedHostStep() {
    h.siteUp("tts");
    cameraBridgeStopFailsOnAuxtelMcm(true);
    ProcessInstance pi = h.start("tts", false);
    h.drive(Map.of(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE, Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION,
        Decisions.ABORT, RunVariables.ABORT_REASON, "camera bridge will not stop")));
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(FullUpgradeIds.ANNOUNCE_ABORTED, FullUpgradeIds.END_UPGRADE_ABORTED)
        .doesNotContain(FullUpgradeIds.END_UPGRADE_DONE);
    verify(h.notifier).post(eq("tts"), any(), argThat(t -> t.contains("aborted") && t.contains("camera bridge will not stop")));
  }
}
