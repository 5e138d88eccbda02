package org.lsst.ts.upgrade.runbook;

import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.RunHistory;
import org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.ActionLog.Action;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code incremental-upgrade} and {@code os-k8s-recovery} rehearsed end to end on the twin, autopilot on. */
@RehearsalTest
class IncrementalAndRecoveryRehearsalTests {
  @Autowired Runs runs;
  @Autowired Autopilot autopilot;
  @Autowired ActionLog actions;
  @Autowired TwinReset reset;
  @Autowired TwinCscs twinCscs;
  @Autowired HistoryService history;
  @Autowired RuntimeService runtime;
  @Autowired CscStates cscStates;
  @Autowired org.lsst.ts.upgrade.site.Sites sites;
  String lastPid;

  @BeforeEach
  void on() {
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
  }

  @AfterEach
  void off() {
    autopilot.setEnabled(false);
  }

  private String run(Map<String, Object> body) {
    var started = runs.start(body, null);
    String pid = started.processInstanceId();
    lastPid = pid;
    try {
      await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() ->
          history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1
              || runtime.createIncidentQuery().count() > 0);
    } finally {
      runtime.createIncidentQuery().list().forEach(i -> System.out.println("INCIDENT " + i.getActivityId() + ": "
          + i.getIncidentMessage()));
    }
    assertThat(runtime.createIncidentQuery().count()).isZero();
    return history.createHistoricProcessInstanceQuery().processInstanceId(pid).singleResult().getEndActivityId();
  }

  private static int indexOf(List<Action> log, java.util.function.Predicate<Action> p) {
    for (int i = 0; i < log.size(); i++) {
      if (p.test(log.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void anIncrementalUpgradeAtTheBtsTouchesOnlyTheAffectedCscAndTheQueues() {
    String site = "bts";
    new TwinSites(reset, twinCscs, cscStates).inOperation(site);
    long first = actions.actions(site).stream().mapToLong(Action::seq).max().orElse(0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "incremental-upgrade");
    body.put("site", site);
    body.put("cycle", "Cycle 40");
    body.put("revision", "Revision 2");
    body.put("cscs", List.of("ATDome"));
    body.put("breakingSchemaChange", false);

    assertThat(run(body)).isEqualTo(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);

    List<Action> log = actions.actions(site).stream().filter(a -> a.seq() > first && !a.system().equals("kafka")).toList();
    String p = site + "/";
    List<Action> exits = log.stream().filter(a -> a.system().equals("csc") && a.action().equals("exitControl")).toList();
    assertThat(exits).isNotEmpty();
    assertThat(exits.get(0).target()).isEqualTo(p + "Watcher");
    assertThat(exits.stream().map(Action::target).toList()).contains(p + "ATDome")
        .doesNotContain(p + "ATMCS", p + "MTMount");
    int firstDelete = indexOf(log, a -> a.system().equals("kubernetes") && a.action().equals("deleted"));
    int firstSync = indexOf(log, a -> a.system().equals("argocd") && a.action().equals("sync"));
    assertThat(firstDelete).isGreaterThan(log.indexOf(exits.get(exits.size() - 1)));
    assertThat(firstSync).isGreaterThan(firstDelete);
    List<String> synced = log.stream().filter(a -> a.system().equals("argocd") && a.action().equals("sync"))
        .map(a -> a.target().substring(p.length())).distinct().toList();
    assertThat(synced).containsExactlyInAnyOrder("obssys", "auxtel");
    assertThat(cscStates.statusOf(site, List.of(CscId.of("ATDome"), CscId.of("Watcher"), CscId.of("ScriptQueue", 1))))
        .extracting(s -> s.effectiveState())
        .containsExactly(SummaryState.STANDBY, SummaryState.ENABLED, SummaryState.ENABLED);
  }

  @Test
  void aSummitIncrementalUpgradeOfOneEssBringsEverySiblingBackToItsPreviousState() {
    String site = "summit";
    new TwinSites(reset, twinCscs, cscStates).inOperation(site);
    var summit = sites.require(site);
    var siblings = org.lsst.ts.upgrade.runbook.incremental.PlanIncrementalUpgrade.siblings(summit,
        List.of(summit.requireCsc(CscId.parse("ESS:104"))));
    assertThat(siblings).hasSizeGreaterThan(10);
    List<CscId> ids = siblings.stream().map(c -> c.id()).toList();
    // one of them ENABLED, one DISABLED before the run (the others as the twin has them)
    twinCscs.transitionTo(site, CscId.parse("ESS:105"), SummaryState.ENABLED);
    twinCscs.transitionTo(site, CscId.parse("ESS:108"), SummaryState.DISABLED);
    await().atMost(Duration.ofSeconds(30)).until(() -> cscStates.statusOf(site, List.of(CscId.parse("ESS:105"),
        CscId.parse("ESS:108"))).stream().map(s -> s.effectiveState()).toList()
        .equals(List.of(SummaryState.ENABLED, SummaryState.DISABLED)));
    var before = cscStates.statusOf(site, ids).stream().map(s -> s.id() + "=" + s.effectiveState()).toList();
    long first = actions.actions(site).stream().mapToLong(Action::seq).max().orElse(0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "incremental-upgrade");
    body.put("site", site);
    body.put("cycle", "Cycle 40");
    body.put("revision", "Revision 2");
    body.put("cscs", List.of("ESS:104"));
    body.put("breakingSchemaChange", false);

    assertThat(run(body)).isEqualTo(IncrementalUpgradeIds.END_INCREMENTAL_UPGRADE_DONE);

    // sent OFFLINE with ESS:104 (their Jobs go with its csc-class), and every one is back as it was
    List<Action> log = actions.actions(site).stream().filter(a -> a.seq() > first && !a.system().equals("kafka")).toList();
    assertThat(log).anyMatch(a -> a.system().equals("csc") && a.target().equals(site + "/ESS:105")
        && a.action().equals("exitControl"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cscStates.statusOf(site, ids).stream()
        .map(s -> s.id() + "=" + s.effectiveState()).toList()).containsExactlyElementsOf(before));
    assertThat(before).contains("ESS:105=ENABLED", "ESS:108=DISABLED");
  }

  @Test
  void theSummitRecoveryRebootsAzar02AfterRestartingAzar03() {
    String site = "summit";
    new TwinSites(reset, twinCscs, cscStates).inOperation(site);
    long first = actions.actions(site).stream().mapToLong(Action::seq).max().orElse(0);
    assertThat(run(Map.of("process", "os-k8s-recovery", "site", site))).isEqualTo(OsK8sRecoveryIds.END_RECOVERY_DONE);

    List<Action> log = actions.actions(site).stream().filter(a -> a.seq() > first && !a.system().equals("kafka")).toList();
    int lastSync = -1;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).system().equals("argocd") && log.get(i).action().equals("sync")) {
        lastSync = i;
      }
    }
    int reboot = indexOf(log, a -> a.system().equals("ssh") && a.action().equals("reboot") && a.target().contains("azar02"));
    // the preflight's connection and no-op ("true") on every host are reads: the restart is what counts
    int azar03 = indexOf(log, a -> a.system().equals("ssh") && a.target().contains("azar03")
        && !a.action().equals("connect") && !"true".equals(a.params().get("command")));
    assertThat(lastSync).isGreaterThanOrEqualTo(0);
    assertThat(azar03).isGreaterThan(lastSync);
    assertThat(reboot).isGreaterThan(azar03);
    // every cRIO's service started after the syncs, MTM1M3's and MTM1M3TS's included (seed)
    for (String crio : List.of("m1m3-crio-ss", "m1m3-crio-ts", "m1m3-crio-vms", "m2-crio-vms01")) {
      int started = indexOf(log, a -> a.system().equals("ssh") && a.action().equals("exec")
          && a.target().equals(site + "/" + crio) && String.valueOf(a.params().get("command")).matches("/etc/init.d/\\S+ start"));
      assertThat(started).as(crio).isGreaterThan(lastSync);
    }
    // and the control system is back as after a deployment
    var laggards = history.createHistoricVariableInstanceQuery().processInstanceId(lastPid)
        .variableName(RunVariables.AWAIT_LAGGARDS_TEXT).singleResult();
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(lastPid)
        .variableName(RunVariables.AWAIT_SATISFIED).singleResult().getValue())
        .as("CSCs not up: %s", laggards == null ? "?" : laggards.getValue()).isEqualTo(true);
    FinalStates.assertAsExpected(sites.require(site), SitePlan.recoveryExpectations(sites.require(site)), cscStates, false);
    // the twin's cRIO start brought MTM1M3 and MTM1M3TS up in STANDBY: the run put them back in
    // their held states, and enabled the site's enable-at-end list (the Watcher: alarms again)
    int restartedTs = indexOf(log, a -> a.system().equals("csc") && a.target().equals(site + "/MTM1M3TS")
        && a.action().equals("killed"));
    assertThat(restartedTs).as("the cRIO start restarted MTM1M3TS").isGreaterThan(lastSync);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cscStates.statusOf(site, List.of(
        CscId.of("MTM1M3TS"), CscId.of("MTM1M3"), CscId.of("Watcher")))).extracting(s -> s.effectiveState())
        .containsExactly(SummaryState.ENABLED, SummaryState.DISABLED, SummaryState.ENABLED));
    FinalStates.assertAsExpected(sites.require(site), SitePlan.recoveryFinalExpectations(sites.require(site)), cscStates, false);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(lastPid)
        .variableName(RunVariables.ENABLE_VERIFIED).singleResult().getValue()).isEqualTo(true);
    // MTM2 ENABLED (live, on Kafka) and the Hexrot VM rebooted before azar02 is rebooted
    var acts = RunHistory.activities(history, lastPid);
    var rebootAzar02 = acts.stream().filter(a -> a.getActivityId().equals(RecoverSummitHostsIds.REBOOT_HOST))
        .findFirst().orElseThrow();
    var m2 = acts.stream().filter(a -> a.getActivityId().equals(RecoverSummitHostsIds.M2_ENABLED_BEFORE_HEXROT_REBOOT))
        .findFirst().orElseThrow();
    assertThat(m2.getEndTime()).isBeforeOrEqualTo(rebootAzar02.getStartTime());
    int mtm2Enabled = indexOf(log, a -> a.system().equals("csc") && a.target().equals(site + "/MTM2")
        && a.action().equals("enable"));
    assertThat(mtm2Enabled).isGreaterThanOrEqualTo(0).isLessThan(reboot);
    assertThat(m2.getAssignee() == null ? history.createHistoricTaskInstanceQuery().taskId(m2.getTaskId()).singleResult()
        .getAssignee() : m2.getAssignee()).isEqualTo(Autopilot.USER);
  }

  @Test
  void aTucsonRecoveryReturnsEveryCscToEnabled() {
    // the TTS page: after a recovery from maintenance "all of the CSCs must be returned to ENABLED state"
    String site = "tts";
    new TwinSites(reset, twinCscs, cscStates).inOperation(site);
    try {
      assertThat(run(Map.of("process", "os-k8s-recovery", "site", site))).isEqualTo(OsK8sRecoveryIds.END_RECOVERY_DONE);
      var tts = sites.require(site);
      List<String> expected = SitePlan.recoveryFinalExpectations(tts);
      assertThat(expected).contains("ATDome=ENABLED", "MTMount=ENABLED", "Watcher=ENABLED");
      FinalStates.assertAsExpected(tts, expected, cscStates, false);
      assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(lastPid)
          .variableName(RunVariables.ENABLE_VERIFIED).singleResult().getValue()).isEqualTo(true);
    } finally {
      new TwinSites(reset, twinCscs, cscStates).inOperation(site);
    }
  }
}
