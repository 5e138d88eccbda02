package org.lsst.ts.upgrade.runbook.fullupgrade;

import org.lsst.ts.upgrade.runbook.FinalStates;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.RunHistory;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.ActionLog.Action;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.springframework.beans.factory.annotation.Autowired;

/** The full upgrade rehearsed end to end on the twin, autopilot on, one run per site. */
@RehearsalTest
class FullUpgradeRehearsalTests {
  @Autowired Runs runs;
  @Autowired Autopilot autopilot;
  @Autowired ActionLog actions;
  @Autowired TwinReset reset;
  @Autowired TwinCscs twinCscs;
  @Autowired HistoryService history;
  @Autowired RuntimeService runtime;
  @Autowired org.lsst.ts.upgrade.schemaregistry.SchemaRegistry registry;
  @Autowired org.lsst.ts.upgrade.csc.CscStates cscStates;
  @Autowired org.lsst.ts.upgrade.site.Sites sites;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinSlack slack;

  @BeforeEach
  void on() {
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
  }

  @AfterEach
  void off() {
    autopilot.setEnabled(false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tts", "bts", "summit"})
  void theRunCompletesInTheSeedsOrder(String site) {
    new TwinSites(reset, twinCscs, cscStates).inOperation(site);
    long firstSeq = actions.actions(site).stream().mapToLong(Action::seq).max().orElse(0);
    int firstMessage = slack.messages(site).size();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "full-upgrade");
    body.put("site", site);
    body.put("cycle", "Cycle 40");
    body.put("breakingSchemaChange", true);
    body.put("phalanxRef", "tickets/DM-12345");
    if (site.equals("summit")) {
      body.put("dockerComposeOpsBranch", "cycle40");
      body.put("loveIntegrationToolsBranch", "cycle40");
    }
    var started = runs.start(body, null);
    try {
      await().atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofMillis(500)).until(() ->
          history.createHistoricProcessInstanceQuery().processInstanceId(started.processInstanceId()).finished().count() == 1
              || runtime.createIncidentQuery().processInstanceId(started.processInstanceId()).count() > 0
              || runtime.createIncidentQuery().rootCauseIncidentId(null).count() > 0);
    } finally {
      List<Action> log = actions.actions(site).stream().filter(a -> a.seq() > firstSeq).toList();
      log.stream().filter(a -> !a.system().equals("kafka")).forEach(a -> System.out.println("ACTION " + a.system() + " "
          + a.target() + " " + a.action() + " " + a.params()));
      runtime.createIncidentQuery().list().forEach(i -> System.out.println("INCIDENT " + i.getActivityId() + ": " + i.getIncidentMessage()));
      history.createHistoricActivityInstanceQuery().unfinished().list().forEach(a -> System.out.println("OPEN " + a.getActivityId()));
    }
    assertThat(runtime.createIncidentQuery().count()).isZero();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(started.processInstanceId()).singleResult()
        .getEndActivityId()).isEqualTo(FullUpgradeIds.END_UPGRADE_DONE);

    List<Action> log = actions.actions(site).stream().filter(a -> a.seq() > firstSeq).toList();
    String p = site + "/";
    // the Watcher comes down before any other CSC; the ScriptQueues last, the running one (1) the very last
    List<Action> cscCommands = log.stream().filter(a -> a.system().equals("csc")
        && List.of("disable", "standby", "exitControl").contains(a.action())).toList();
    int firstArgo = indexOf(log, a -> a.system().equals("argocd") && a.action().equals("sync"));
    List<Action> shutdown = cscCommands.stream().filter(a -> log.indexOf(a) < firstArgo).toList();
    assertThat(shutdown).isNotEmpty();
    assertThat(shutdown.get(0).target()).isEqualTo(p + "Watcher");
    List<String> exits = shutdown.stream().filter(a -> a.action().equals("exitControl")).map(Action::target).toList();
    assertThat(exits.get(0)).isEqualTo(p + "Watcher");
    assertThat(exits.subList(exits.size() - 3, exits.size()))
        .containsExactly(p + "ScriptQueue:3", p + "ScriptQueue:2", p + "ScriptQueue:1");
    // Argo CD: science-platform, nublado, sasquatch, then control-system-test, then LOVE, then the rest
    List<String> syncs = log.stream().filter(a -> a.system().equals("argocd") && a.action().equals("sync"))
        .map(a -> a.target().substring(p.length())).distinct().toList();
    assertThat(syncs.subList(0, 5)).containsExactly("science-platform", "nublado", "sasquatch", "control-system-test", "love");
    assertThat(syncs).containsAll(sites.require(site).argocd().telescopeApps());
    // camera bridges stopped (over SSH) before the Stage 1 notice reached Slack
    int bridges = indexOf(log, a -> a.system().equals("ssh") && String.valueOf(a.params().get("command")).contains("systemctl stop"));
    assertThat(bridges).isGreaterThanOrEqualTo(0).isLessThan(firstArgo);
    int stage1 = indexOf(log, a -> slack(a, "may start Stage 1"));
    assertThat(stage1).isGreaterThan(bridges);
    // the notices reached the site's channel: start first, then Stage 1, Stage 2, Nublado, the summary last
    String channel = sites.require(site).slack().channel();
    List<Action> notices = log.stream().filter(a -> slack(a, "")).toList();
    assertThat(notices).allSatisfy(a -> assertThat(a.target()).isEqualTo(channel));
    assertThat(indexOf(log, a -> slack(a, "starts now"))).isGreaterThanOrEqualTo(0).isLessThan(stage1);
    int stage2 = indexOf(log, a -> slack(a, "may proceed to Stage 2"));
    int nublado = indexOf(log, a -> slack(a, "Nublado can be used again"));
    int summary = indexOf(log, a -> slack(a, " finished"));
    assertThat(stage2).isGreaterThan(stage1);
    assertThat(nublado).isGreaterThan(stage2);
    assertThat(summary).isGreaterThan(nublado);
    assertThat(String.valueOf(log.get(summary).params().get("text"))).contains("notices not delivered: none");
    // one Slack thread for the whole run: its start is the parent, every later message (notices, the
    // tasks' messages) a reply; what the whole site must see is broadcast to the channel too
    String runId = history.createHistoricProcessInstanceQuery().processInstanceId(started.processInstanceId())
        .singleResult().getBusinessKey();
    List<org.lsst.ts.upgrade.rehearsal.TwinSlack.Message> messages = slack.messages(site).stream().skip(firstMessage)
        // a task's message, once decided, reads "Retry — by …": its blocks still name the run
        .filter(m -> String.valueOf(m.text()).contains(runId) || String.valueOf(m.blocks()).contains(runId)).toList();
    assertThat(messages).hasSizeGreaterThan(4);
    var parent = messages.get(0);
    assertThat(parent.text()).contains("starts now");
    assertThat(parent.threadTs()).isNull();
    assertThat(messages.subList(1, messages.size())).allSatisfy(m -> assertThat(m.threadTs()).as(m.text())
        .isEqualTo(parent.ts()));
    for (String siteWide : List.of("may start Stage 1", "may proceed to Stage 2", "Nublado can be used again", " finished")) {
      assertThat(messages).filteredOn(m -> m.blocks() == null && m.text().contains(siteWide)).as(siteWide).isNotEmpty()
          .allSatisfy(m -> assertThat(m.broadcast()).as(m.text()).isTrue());
    }
    // the tasks' messages stay in the thread
    assertThat(messages).filteredOn(m -> m.blocks() != null).isNotEmpty()
        .allSatisfy(m -> assertThat(m.broadcast()).as(m.text()).isFalse());
    // the registry was relaxed to NONE before the first sync and set back to FORWARD after the last one
    int none = indexOf(log, a -> registryPut(a, "NONE"));
    int forward = indexOf(log, a -> registryPut(a, "FORWARD"));
    int lastSync = -1;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).system().equals("argocd") && log.get(i).action().equals("sync")) {
        lastSync = i;
      }
    }
    assertThat(none).isGreaterThanOrEqualTo(0).isLessThan(firstArgo);
    assertThat(forward).isGreaterThan(lastSync);
    List<String> order = RunHistory.activityIds(history, started.processInstanceId());
    assertThat(order.indexOf(ShutDownAndCleanUpIds.STOP_CAMERA_BRIDGES))
        .isLessThan(order.indexOf(ShutDownAndCleanUpIds.NOTIFY_CAMERA_STAGE1));
    // the compatibility is back to what it was; the site's enable list is ENABLED; the monitor was satisfied
    assertThat(registry.compatibility(site)).isEqualTo("FORWARD");
    assertThat(variable(started.processInstanceId(), RunVariables.AWAIT_SATISFIED)).isEqualTo(true);
    assertThat(cscStates.statusOf(site, List.of(CscId.of("Watcher"))).get(0).effectiveState()).isEqualTo(SummaryState.ENABLED);
    // every CSC ended as the site expects: the monitor's expectations, then the enable list on top
    FinalStates.assertAsExpected(sites.require(site), SitePlan.monitorExpectations(sites.require(site)), cscStates, true);
    assertThat(variable(started.processInstanceId(), RunVariables.UNDELIVERED_NOTICES)).asList().isEmpty();
    if (site.equals("summit")) {
      // the odd CSCs: ATPtg (vanishes) counts as OFFLINE; ATMCS (ignores OFFLINE) reaches the person, whose
      // (autopilot's) answer is recorded: handled by hand
      assertThat(variable(started.processInstanceId(), RunVariables.CSCS_HANDLED_BY_HAND).toString())
          .contains("ATMCS").doesNotContain("ATPtg");
      assertThat(cscStates.statusOf(site, List.of(CscId.of("MTM1M3TS"), CscId.of("MTM1M3"))))
          .extracting(s -> s.effectiveState()).containsExactly(SummaryState.ENABLED, SummaryState.DISABLED);
      // the cameras are up: the autopilot, as the camera team, started their bridges; they heartbeat
      assertThat(cscStates.statusOf(site, List.of(CscId.of("ATCamera"), CscId.of("CCCamera"), CscId.of("MTCamera"))))
          .allSatisfy(s -> assertThat(s.heartbeatAge()).as(s.id() + " heartbeat").isNotNull()
              .isLessThan(java.time.Duration.ofSeconds(5)));
    }
  }

  private Object variable(String processInstanceId, String name) {
    var v = history.createHistoricVariableInstanceQuery().processInstanceId(processInstanceId).variableName(name)
        .singleResult();
    return v == null ? null : v.getValue();
  }

  private static boolean slack(Action a, String textPart) {
    return a.system().equals("slack") && a.action().equals("chat.postMessage")
        && String.valueOf(a.params().get("text")).contains(textPart);
  }

  private static boolean registryPut(Action a, String level) {
    return a.system().equals("schema-registry") && a.action().equals("PUT") && level.equals(a.params().get("compatibility"));
  }

  private static int indexOf(List<Action> log, java.util.function.Predicate<Action> p) {
    for (int i = 0; i < log.size(); i++) {
      if (p.test(log.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
