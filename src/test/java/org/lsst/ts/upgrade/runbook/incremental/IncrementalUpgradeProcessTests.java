package org.lsst.ts.upgrade.runbook.incremental;

import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.monitor.BringUpAndMonitorIds;
import org.lsst.ts.upgrade.runbook.cleanup.CleanUpClusterIds;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.intThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.site.UnknownCscException;
import org.mockito.ArgumentCaptor;

/** Engine-level tests of {@code incremental-upgrade} with its called processes, capabilities mocked. */
class IncrementalUpgradeProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private ProcessInstance start(String site, List<String> cscs, boolean breaking) {
    return start(site, cscs, breaking, Map.of());
  }

  private ProcessInstance start(String site, List<String> cscs, boolean breaking, Map<String, Object> more) {
    Map<String, Object> vars = new HashMap<>(more);
    vars.put(RunVariables.SITE, site);
    vars.put(RunVariables.RUN_ID, site + "-incremental-" + System.nanoTime());
    vars.put(RunVariables.CYCLE, "Cycle 40");
    vars.put("revision", "Revision 2");
    vars.put(RunVariables.BREAKING_SCHEMA_CHANGE, breaking);
    vars.put(RunVariables.STARTED_BY, "operator1");
    vars.put(RunVariables.CSCS, new ArrayList<>(cscs));
    return h.engine.getRuntimeService().startProcessInstanceByKey(IncrementalUpgradeIds.KEY,
        (String) vars.get(RunVariables.RUN_ID), vars);
  }

  private List<String> activities(ProcessInstance pi) {
    return h.passed(pi);
  }

  private List<ScriptRequest> scripts() {
    ArgumentCaptor<ScriptRequest> c = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, atLeastOnce()).addScript(anyString(), anyInt(), c.capture());
    return c.getAllValues();
  }

  @SuppressWarnings("unchecked")
  private <T> T variable(ProcessInstance pi, String name) {
    return (T) h.variable(pi, name);
  }

  /** Fails (or, with {@code fault}, faults the CSC of) every script whose tag ends with the suffix. */
  private void scriptFails(String tagSuffix, String path, CscId faulted) {
    AtomicInteger next = new AtomicInteger(900000);
    doAnswer(inv -> {
      if (faulted != null) {
        h.states.put(faulted, SummaryState.FAULT);
      }
      return next.incrementAndGet();
    }).when(h.love).addScript(anyString(), anyInt(), argThat(r -> r != null
        && ((tagSuffix != null && r.tag() != null && r.tag().endsWith(tagSuffix)) || (path != null && r.path().equals(path)))));
    doAnswer(inv -> Optional.of(new ScriptOutcome(inv.getArgument(1), inv.getArgument(2), "script", "DONE", "FAILED",
        false, true, "fault"))).when(h.love).outcome(anyString(), anyInt(), intThat(i -> i > 900000));
  }

  @Test
  void btsOnlyTheAffectedCscsAndTheQueuesAreTakenDownDeletedSyncedAndTested() {
    h.siteUp("bts");
    ProcessInstance pi = start("bts", List.of("ATDome", "ESS:201"), false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.SEND_AFFECTED_CSCS_OFFLINE, IncrementalUpgradeIds.DELETE_AFFECTED_JOBS,
        IncrementalUpgradeIds.CONFIGURATIONS_UPDATED, IncrementalUpgradeIds.SYNC_AFFECTED_APPS, IncrementalUpgradeIds.AWAIT_AFFECTED_CSCS_UP,
        IncrementalUpgradeIds.WATCHER_BACK, IncrementalUpgradeIds.MINIMAL_TESTING, IncrementalUpgradeIds.CHECK_NEW_TOPICS,
        IncrementalUpgradeIds.CYCLE_AFFECTED_CSCS, IncrementalUpgradeIds.AWAIT_AFFECTED_STANDBY, IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE).doesNotContain(CleanUpClusterIds.REVIEW_LEFTOVERS, BringUpAndMonitorIds.CONTINUE_AFTER_MONITOR,
            IncrementalUpgradeIds.END_CSC_FAULTED_WHILE_CYCLING);
    List<String> acts = activities(pi);
    assertThat(acts.indexOf(IncrementalUpgradeIds.DELETE_AFFECTED_JOBS)).isLessThan(acts.indexOf(IncrementalUpgradeIds.CONFIGURATIONS_UPDATED));
    assertThat(acts.indexOf(IncrementalUpgradeIds.CONFIGURATIONS_UPDATED)).isLessThan(acts.indexOf(IncrementalUpgradeIds.SYNC_AFFECTED_APPS));
    assertThat(acts.indexOf(IncrementalUpgradeIds.WATCHER_BACK)).isLessThan(acts.indexOf(IncrementalUpgradeIds.MINIMAL_TESTING));

    // Watcher first, then the affected CSCs (set_summary_state.py); the other queues; the running one last
    List<ScriptRequest> scripts = scripts();
    assertThat(scripts.get(0).path()).isEqualTo("set_summary_state.py");
    // ESS:201's siblings (the other ESS of its namespace: their Jobs share its csc-class) go too
    assertThat(scripts.get(0).config()).containsEntry("data", List.of(List.of("Watcher", "OFFLINE"),
        List.of("ATDome", "OFFLINE"), List.of("ESS:201", "OFFLINE"), List.of("ESS:1", "OFFLINE"),
        List.of("ESS:101", "OFFLINE"), List.of("ESS:301", "OFFLINE")));
    assertThat(scripts.get(1).config()).containsEntry("data", List.of(List.of("ScriptQueue:3", "OFFLINE"),
        List.of("ScriptQueue:2", "OFFLINE")));
    var order = inOrder(h.love, h.cleanup, h.argo);
    order.verify(h.love).addScript(eq("bts"), eq(1), argThat(r -> r.config().toString().contains("[Watcher, OFFLINE]")));
    order.verify(h.love).command("bts", CscId.of("ScriptQueue", 1), "cmd_exitControl", Map.of());
    order.verify(h.cleanup).deleteJobsOfClass("bts", "obssys", "scriptqueue", false);
    order.verify(h.argo, atLeastOnce()).sync(eq("bts"), anyString());
    order.verify(h.love).addScript(eq("bts"), eq(1), argThat(r -> r.config().toString().contains("[Watcher, ENABLED]")));
    verify(h.cleanup).deleteJobsOfClass("bts", "auxtel", "atdome", false);
    verify(h.cleanup).deleteJobsOfClass("bts", "envsys", "ess", false);
    verify(h.cleanup).deleteJobsOfClass("bts", "obssys", "watcher", false);
    verify(h.cleanup, never()).cleanupAll(anyString(), any(Boolean.class));
    // only the queues' and the affected CSCs' apps
    ArgumentCaptor<String> apps = ArgumentCaptor.forClass(String.class);
    verify(h.argo, atLeastOnce()).sync(eq("bts"), apps.capture());
    assertThat(apps.getAllValues()).containsExactlyInAnyOrderElementsOf(
        h.site("bts").cscs().stream().filter(c -> Set.of("ATDome", "ESS:201", "ScriptQueue:1", "Watcher").contains(c.id().toString()))
            .map(c -> c.app()).distinct().toList());
    // ESS cannot be placed: both telescopes tested; the states cycled, ending STANDBY
    assertThat(this.<List<Object>>variable(pi, RunVariables.TELESCOPES)).containsExactly("auxtel", "maintel");
    ScriptRequest cycle = scripts.stream().filter(r -> r.tag().endsWith(":cycle-states")).findFirst().orElseThrow();
    assertThat(cycle.config().get("data").toString()).isEqualTo("[[ATDome, DISABLED], [ATDome, ENABLED], [ATDome, DISABLED], "
        + "[ATDome, STANDBY], [ESS:201, DISABLED], [ESS:201, ENABLED], [ESS:201, DISABLED], [ESS:201, STANDBY]]");
    assertThat(h.states.get(CscId.parse("ATDome"))).isEqualTo(SummaryState.STANDBY);
    assertThat(h.states.get(CscId.parse("Watcher"))).isEqualTo(SummaryState.ENABLED);
    verify(h.topics).topicsOf("bts", "ATDome");
    verify(h.topics).topicsOf("bts", "ESS");
    assertThat(this.<Object>variable(pi, MinimalTestingIds.VAR_PASSED)).isEqualTo(true);
  }

  /** The run ended after minimal testing of AuxTel alone: no MainTel script, AuxTel tracked. */
  private void assertOnlyAuxTelWasTested(ProcessInstance pi) {
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.MINIMAL_TESTING, IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    assertThat(this.<List<Object>>variable(pi, RunVariables.TELESCOPES)).containsExactly("auxtel");
    assertThat(scripts()).noneMatch(r -> r.path().startsWith("maintel/"));
    assertThat(scripts()).anyMatch(r -> r.path().equals("auxtel/track_target.py"));
  }

  @Test
  void aChangedAuxTelComponentAtTheTtsTestsAuxTelOnly() {
    h.siteUp("tts");
    ProcessInstance pi = start("tts", List.of("ATDome"), false);
    h.drive(Map.of());

    assertOnlyAuxTelWasTested(pi);
  }

  @Test
  void theSummitEndsWithoutMinimalTesting() {
    h.siteUp("summit");
    ProcessInstance pi = start("summit", List.of("MTMount"), false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.SYNC_AFFECTED_APPS, IncrementalUpgradeIds.WATCHER_BACK,
        IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE).doesNotContain(IncrementalUpgradeIds.MINIMAL_TESTING, IncrementalUpgradeIds.CYCLE_AFFECTED_CSCS);
    verify(h.cleanup).deleteJobsOfClass("summit", "simonyitel", "mtmount", false);
    verify(h.cleanup).deleteJobsOfClass("summit", "obssys", "scriptqueue", false);
  }

  @Test
  void theSiblingsOfTheSameCscClassAreSentOfflineAwaitedAndPutBackInTheirStates() {
    h.siteUp("summit");
    h.states.put(CscId.parse("ESS:105"), SummaryState.ENABLED);
    h.states.put(CscId.parse("ESS:108"), SummaryState.DISABLED);
    ProcessInstance pi = start("summit", List.of("ESS:104"), false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.RECORD_SIBLING_STATES, IncrementalUpgradeIds.WATCHER_BACK,
        IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    List<Object> siblings = variable(pi, IncrementalUpgradeIds.VAR_SIBLINGS);
    assertThat(siblings).contains("ESS:105", "ESS:108", "ESS:114").doesNotContain("ESS:104", "DIMM:1", "ESS:201");
    assertThat(this.<List<Object>>variable(pi, IncrementalUpgradeIds.VAR_SIBLING_STATES))
        .contains("ESS:105=ENABLED", "ESS:108=DISABLED", "ESS:114=STANDBY");
    // sent OFFLINE with the affected one, before the Jobs of the class are deleted
    List<ScriptRequest> scripts = scripts();
    assertThat(scripts.get(0).config().get("data").toString()).contains("[ESS:104, OFFLINE]", "[ESS:105, OFFLINE]",
        "[ESS:114, OFFLINE]");
    verify(h.cleanup).deleteJobsOfClass("summit", "envsys", "ess", false);
    // awaited up again with the affected one
    assertThat(this.<List<Object>>variable(pi, IncrementalUpgradeIds.VAR_AFFECTED_EXPECTATIONS))
        .contains("ESS:104=STANDBY", "ESS:105=STANDBY", "ESS:114=STANDBY");
    // and put back: each in the state it was in, then the Watcher
    ScriptRequest back = scripts.stream().filter(r -> r.tag() != null && r.tag().endsWith(":watcher-back")).findFirst()
        .orElseThrow();
    @SuppressWarnings("unchecked")
    List<List<String>> data = (List<List<String>>) back.config().get("data");
    assertThat(data).contains(List.of("ESS:105", "ENABLED"), List.of("ESS:108", "DISABLED"))
        .doesNotContain(List.of("ESS:114", "STANDBY"));
    assertThat(data.get(data.size() - 1)).isEqualTo(List.of("Watcher", "ENABLED"));
    assertThat(h.states).containsEntry(CscId.parse("ESS:105"), SummaryState.ENABLED)
        .containsEntry(CscId.parse("ESS:108"), SummaryState.DISABLED)
        .containsEntry(CscId.parse("ESS:114"), SummaryState.STANDBY);
  }

  @Test
  void aCscThatGoesToFaultWhileCyclingFailsTheRunWithAClearEnd() {
    h.siteUp("bts");
    scriptFails(":cycle-states", null, CscId.parse("ATDome"));
    ProcessInstance pi = start("bts", List.of("ATDome"), false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.CYCLE_AFFECTED_CSCS, IncrementalUpgradeIds.END_CYCLE_SCRIPT_FAILED)
        .doesNotContain(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    // said on the site's channel, as the full upgrade says an abort
    verify(h.notifier).post(eq("bts"), org.mockito.ArgumentMatchers.isNull(), org.mockito.ArgumentMatchers.contains(
        "ended: Failed: the cycling script failed"));
  }

  @Test
  void cscsNotUpAreReportedOnSlackAndAnAbortIsAnnounced() {
    h.siteUp("summit");
    // MTMount never comes back after its sync
    when(h.argo.sync(eq("summit"), eq("simonyitel"))).thenReturn(org.lsst.ts.upgrade.argocd.ArgoCd.SyncStart.STARTED);
    ProcessInstance pi = start("summit", List.of("MTMount"), false);
    h.drive(Map.of(BringUpAndMonitorIds.CONTINUE_AFTER_MONITOR, Map.of(RunVariables.MONITOR_DECISION, Decisions.ABORT)));

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(BringUpAndMonitorIds.REPORT_UNHEALTHY_CSCS, IncrementalUpgradeIds.ANNOUNCE_ABORTED)
        .doesNotContain(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    var order = inOrder(h.notifier);
    order.verify(h.notifier).post(eq("summit"), any(), org.mockito.ArgumentMatchers.contains(
        "CSCs not in working order after the deployment:\n- MTMount"));
    order.verify(h.notifier).post(eq("summit"), any(), org.mockito.ArgumentMatchers.contains("was aborted by an operator"));
  }

  @Test
  void aCscInFaultAfterASucceededCycleScriptFailsTheRunToo() {
    h.siteUp("bts");
    doAnswer(inv -> {
      h.states.put(CscId.parse("ATDome"), SummaryState.FAULT);
      return 777;
    }).when(h.love).addScript(anyString(), anyInt(), argThat(r -> r != null && r.tag() != null
        && r.tag().endsWith(":cycle-states")));
    // the engine's clock stands still: only the FAULT itself can end the wait for STANDBY
    org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(new java.util.Date());
    ProcessInstance pi;
    try {
      pi = start("bts", List.of("ATDome"), false);
      h.drive(Map.of());
    } finally {
      org.camunda.bpm.engine.impl.util.ClockUtil.reset();
    }

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.AWAIT_AFFECTED_STANDBY, IncrementalUpgradeIds.END_CSC_FAULTED_WHILE_CYCLING).doesNotContain(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    // FAULT ended the wait at the first look, without waiting for the deadline
    var vars = h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId()).list();
    // (out of await-csc-states into the run)
    assertThat(vars).filteredOn(x -> x.getName().equals(RunVariables.AWAIT_FAULTED)).singleElement()
        .satisfies(x -> org.assertj.core.api.Assertions.assertThat(x.getValue()).isEqualTo(true));
    assertThat(vars).filteredOn(x -> x.getName().equals(RunVariables.AWAIT_TIMED_OUT)).singleElement()
        .satisfies(x -> org.assertj.core.api.Assertions.assertThat(x.getValue()).isEqualTo(false));
    assertThat(vars).filteredOn(x -> x.getName().equals(RunVariables.AWAIT_LAGGARDS_TEXT)).singleElement()
        .satisfies(x -> org.assertj.core.api.Assertions.assertThat(x.getValue().toString()).contains("ATDome", "FAULT"));
  }

  @Test
  void aFailingMinimalTestingScriptLeavesTheTelescopeSafeAndEndsClearly() {
    h.siteUp("bts");
    scriptFails(null, "auxtel/track_target.py", null);
    ProcessInstance pi = start("bts", List.of("ATDome"), false);
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.END_MINIMAL_TESTING_FAILED).doesNotContain(IncrementalUpgradeIds.CYCLE_AFFECTED_CSCS, IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    // the safe ending: stop tracking and standby after the failure
    List<String> paths = scripts().stream().map(ScriptRequest::path).toList();
    assertThat(paths.subList(paths.indexOf("auxtel/track_target.py"), paths.size()))
        .contains("auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
  }

  @Test
  void jobsLeftOverGoToAPersonWhoRetries() {
    h.siteUp("bts");
    when(h.cleanup.deleteJobsOfClass(anyString(), eq("auxtel"), eq("atdome"), eq(false)))
        .thenReturn(new CleanupReport(List.of(), List.of(), List.of("job/auxtel/atdome-abc"), false))
        .thenReturn(new CleanupReport(List.of("job/auxtel/atdome-abc"), List.of(), List.of(), false));
    ProcessInstance pi = start("bts", List.of("ATDome"), false);
    h.drive(Map.of(CleanUpClusterIds.REVIEW_LEFTOVERS, Map.of(RunVariables.CLEANUP_DECISION, Decisions.RETRY)));

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(CleanUpClusterIds.REVIEW_LEFTOVERS, IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    assertThat(String.valueOf(this.<Object>variable(pi, RunVariables.CLEANUP_LEFTOVERS_TEXT))).contains("job/auxtel/atdome-abc");
  }

  @Test
  void anUnknownCscOrABreakingChangeIsRefusedAtTheStart() {
    assertThatThrownBy(() -> start("bts", List.of("ATDome", "NoSuchCsc:7"), false))
        .hasStackTraceContaining(UnknownCscException.class.getSimpleName()).hasStackTraceContaining("NoSuchCsc:7");
    assertThatThrownBy(() -> start("bts", List.of("ATDome"), true))
        .hasStackTraceContaining("breakingSchemaChange: an incremental upgrade must not break schema compatibility");
    verify(h.love, never()).addScript(anyString(), anyInt(), any());
  }

  @Test
  void aListedNewTopicMissingOnTheBrokerStopsTheRunWithAnIncidentNamingIt() {
    h.siteUp("bts");
    // the broker has the state topics of ATDome (mock), not the new one
    ProcessInstance pi = start("bts", List.of("ATDome"), false, Map.of(CheckNewTopics.NEW_TOPICS,
        new ArrayList<>(List.of("lsst.sal.ATDome.logevent_newDomeEvent"))));
    h.drive(Map.of());

    assertThat(pi).isNotEnded().isWaitingAt(IncrementalUpgradeIds.CHECK_NEW_TOPICS)
        .hasPassed(IncrementalUpgradeIds.MINIMAL_TESTING).hasNotPassed(IncrementalUpgradeIds.CYCLE_AFFECTED_CSCS);
    assertThat(h.incident(pi)).satisfies(i -> {
      assertThat(i.getActivityId()).isEqualTo(IncrementalUpgradeIds.CHECK_NEW_TOPICS);
      assertThat(i.getIncidentMessage()).contains("Topics missing on bts's broker")
          .contains("lsst.sal.ATDome.logevent_newDomeEvent (listed in newTopics)")
          .doesNotContain("logevent_summaryState");
    });
  }

  @Test
  void aListedNewTopicPresentOnTheBrokerPasses() {
    h.siteUp("bts");
    when(h.topics.topicsOf("bts", "ATDome")).thenReturn(Set.of("lsst.sal.ATDome.logevent_summaryState",
        "lsst.sal.ATDome.logevent_heartbeat", "lsst.sal.ATDome.logevent_newDomeEvent"));
    // the short form, as a Cockpit start could give it
    ProcessInstance pi = start("bts", List.of("ATDome"), false, Map.of(CheckNewTopics.NEW_TOPICS,
        new ArrayList<>(List.of("ATDome.logevent_newDomeEvent"))));
    h.drive(Map.of());

    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(IncrementalUpgradeIds.CHECK_NEW_TOPICS, IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);
    assertThat(String.valueOf(this.<Object>variable(pi, IncrementalUpgradeIds.VAR_TOPICS_TEXT)))
        .contains("new topic present: lsst.sal.ATDome.logevent_newDomeEvent");
  }

  @Test
  void aListedTopicOfAComponentThatIsNotAffectedIsAnIncidentNotSilentlyDropped() {
    h.siteUp("bts");
    ProcessInstance pi = start("bts", List.of("ATDome"), false, Map.of(CheckNewTopics.NEW_TOPICS,
        new ArrayList<>(List.of("ATMCS.logevent_newThing"))));
    h.drive(Map.of());

    assertThat(pi).isNotEnded().isWaitingAt(IncrementalUpgradeIds.CHECK_NEW_TOPICS);
    assertThat(h.incident(pi)
        .getIncidentMessage()).contains("ATMCS.logevent_newThing").contains("not an affected CSC");
  }

  @Test
  void theTelescopesGivenAtTheStartAreTheOnesTested() {
    h.siteUp("bts");
    // ESS cannot be placed (both by default): the operator knows it is the AuxTel dome's
    ProcessInstance pi = start("bts", List.of("ESS:201"), false, Map.of(RunVariables.TELESCOPES,
        new ArrayList<>(List.of("auxtel"))));
    h.drive(Map.of());

    assertOnlyAuxTelWasTested(pi);
  }

  @Test
  void telescopesLeavingOutAChangedTelescopeOrAHostCscAreRefusedAtTheStart() {
    assertThatThrownBy(() -> start("bts", List.of("ATDome", "MTMount"), false, Map.of(RunVariables.TELESCOPES,
        new ArrayList<>(List.of("auxtel")))))
        .hasStackTraceContaining("telescopes: [auxtel] leaves out maintel (its MTMount changed)");
    // ESS:201 at the Summit runs on the auxtel-ess01 controller: no Job, no app, nothing would update it
    assertThatThrownBy(() -> start("summit", List.of("ESS:201"), false))
        .hasStackTraceContaining("CSC 'ESS:201' runs on host auxtel-ess01").hasStackTraceContaining("not in Kubernetes");
    verify(h.love, never()).addScript(anyString(), anyInt(), any());
  }
}
