package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptPaths;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.love.Scripts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;

/** The twin's standard scripts, driven through the production LOVE client (site bts, put back in operation before and after each). */
@RehearsalTest
class TwinLoveScriptsTests {
  static final String SITE = "bts";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @Autowired Love love;
  @Autowired TwinCscs cscs;
  @Autowired TwinLoveQueues queues;
  @Autowired ActionLog actions;
  @Autowired Sites sites;
  @Autowired CscStates monitor;
  @Autowired FaultRegistry faults;

  @Autowired TwinReset reset;

  @BeforeEach
  void inOperation() {
    new TwinSites(reset, cscs, monitor).inOperation(SITE);
  }

  @AfterEach
  void restoreSite() {
    new TwinSites(reset, cscs, monitor).inOperation(SITE);
  }

  ScriptOutcome run(int queue, ScriptRequest r) throws Exception {
    int index = love.addScript(SITE, queue, r.withTag("twin-test-" + UUID.randomUUID()));
    return love.whenDone(SITE, queue, index).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  int add(int queue, ScriptRequest r) {
    return love.addScript(SITE, queue, r.withTag("twin-test-" + UUID.randomUUID()));
  }

  ScriptOutcome done(int queue, int index) throws Exception {
    return love.whenDone(SITE, queue, index).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  /** Position of the first command to each CSC after {@code from} in the action log. */
  Map<String, Integer> firstCommand(long from) {
    Map<String, Integer> first = new java.util.LinkedHashMap<>();
    List<ActionLog.Action> l = actions.actions(SITE);
    for (int i = 0; i < l.size(); i++) {
      ActionLog.Action a = l.get(i);
      if (a.seq() > from && a.system().equals("csc") && List.of("disable", "standby", "exitControl").contains(a.action())) {
        first.putIfAbsent(a.target().substring(SITE.length() + 1), i);
      }
    }
    return first;
  }

  @Test
  void systemWideShutdownTakesEverythingButTheQueuesOfflineInOrderAndFailsOnACscThatIgnoresIt() throws Exception {
    cscs.setBehaviour(SITE, CscId.of("ATMCS"), Site.Behaviour.IGNORES_OFFLINE);
    long from = actions.actions(SITE).stream().mapToLong(ActionLog.Action::seq).max().orElse(0);
    ScriptOutcome o = run(1, Scripts.systemWideShutdown("rehearsal", "test shutdown", List.of(CscId.of("Watcher")),
        List.of(CscId.of("ATDome")), List.of(CscId.of("ESS", 1))));
    assertThat(o.success()).isFalse();
    assertThat(o.scriptState()).isEqualTo("FAILED");
    assertThat(o.queuePaused()).isTrue();
    for (TwinCscs.SimulatedCsc c : cscs.all(SITE)) {
      boolean keeps = c.id().component().equals("ScriptQueue") || c.id().equals(CscId.of("ESS", 1))
          || c.id().equals(CscId.of("ATMCS"));
      assertThat(c.beating()).as(c.id().toString()).isEqualTo(keeps);
    }
    assertThat(cscs.get(SITE, CscId.of("ATMCS")).state()).isEqualTo(SummaryState.STANDBY);
    Map<String, Integer> first = firstCommand(from);
    assertThat(first).doesNotContainKeys("ScriptQueue:1", "ScriptQueue:2", "ScriptQueue:3", "ESS:1");
    int watcher = first.get("Watcher");
    int dome = first.get("ATDome");
    assertThat(first.values()).allMatch(i -> i >= watcher && i <= dome);
  }

  @Test
  void auxtelMinimalTestingTracksAndTakesImages() throws Exception {
    long images = actions.actions(SITE).stream().filter(a -> a.action().equals("image-taken")).count();
    for (ScriptRequest r : Scripts.auxtelMinimalTesting(true)) {
      ScriptOutcome o = run(2, r);
      assertThat(o.success()).as(r.path() + ": " + o.message()).isTrue();
      if (r.path().equals("auxtel/track_target.py")) {
        assertThat(queues.effects(SITE)).containsKey("auxtel.tracking");
      }
    }
    assertThat(actions.actions(SITE).stream().filter(a -> a.action().equals("image-taken")).count() - images)
        .isEqualTo(5);
    assertThat(queues.effects(SITE)).doesNotContainKey("auxtel.tracking").containsEntry("ATCamera.playlist", "bias");
    // standby_atcs.py leaves the test stand in its default state
    assertThat(cscs.get(SITE, CscId.of("ATMCS")).state()).isEqualTo(SummaryState.STANDBY);
  }

  @Test
  void maintelMinimalTestingEnablesMtcsTracksAndTakesImages() throws Exception {
    // other tests share this context and may have stopped MainTel CSCs (a rehearsed upgrade): start them
    var stopped = cscs.all(SITE).stream().filter(c -> c.id().component().startsWith("MT") && !c.beating()
        && c.behaviour() != org.lsst.ts.upgrade.site.Site.Behaviour.FAILS_TO_START).toList();
    stopped.forEach(c -> cscs.launch(SITE, c.id()));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> stopped.stream().allMatch(TwinCscs.SimulatedCsc::beating));
    cscs.transitionTo(SITE, CscId.of("MTMount"), SummaryState.STANDBY);
    long images = actions.actions(SITE).stream().filter(a -> a.action().equals("image-taken")
        && a.target().equals(SITE + "/MTCamera")).count();
    for (ScriptRequest r : Scripts.maintelMinimalTesting(true)) {
      ScriptOutcome o = run(1, r);
      assertThat(o.success()).as(r.path() + ": " + o.message()).isTrue();
    }
    // enable_mtcs.py brought MTMount back up; five ACQ images were taken; tracking stopped at the end
    assertThat(cscs.get(SITE, CscId.of("MTMount")).state()).isEqualTo(SummaryState.ENABLED);
    assertThat(actions.actions(SITE).stream().filter(a -> a.action().equals("image-taken")
        && a.target().equals(SITE + "/MTCamera")).count() - images).isEqualTo(5);
    assertThat(queues.effects(SITE)).doesNotContainKey("maintel.tracking")
        .containsEntry("MTCamera.playlist", "lsstcam-20250530");
  }

  @Test
  void aScriptNeedingADisabledCscFails() throws Exception {
    cscs.transitionTo(SITE, CscId.of("ATMCS"), SummaryState.STANDBY);
    ScriptOutcome o = run(2, Scripts.auxtelTrackTarget(18, -20));
    assertThat(o.success()).isFalse();
    assertThat(o.scriptState()).isEqualTo("FAILED");
  }

  @Test
  void setSummaryStateRefusesFault() throws Exception {
    // a raw config (the Scripts builder already refuses FAULT): the script itself refuses it, as the real one does
    SummaryState before = cscs.get(SITE, CscId.of("ATDome")).state();
    ScriptOutcome o = run(2, new ScriptRequest("set_summary_state.py", true,
        Map.of("data", List.of(List.of("ATDome", "FAULT"))), "FAULT is not allowed", null));
    assertThat(o.success()).isFalse();
    assertThat(o.processState()).isEqualTo("CONFIGURE_FAILED");
    assertThat(o.scriptState()).isEqualTo("CONFIGURE_FAILED");
    assertThat(o.queuePaused()).isTrue();
    assertThat(actions.actions(SITE)).anySatisfy(a -> {
      assertThat(a.action()).isEqualTo("script-ended");
      assertThat(a.target()).endsWith("/" + o.scriptIndex());
      assertThat(String.valueOf(a.params().get("message"))).contains("FAULT is not a valid state for ATDome");
    });
    assertThat(cscs.get(SITE, CscId.of("ATDome")).state()).isEqualTo(before);
  }

  @Test
  void aQueuedScriptStoppedNeverRunsAndAHungOneThatIgnoresItsStopIsTerminated() throws Exception {
    faults.inject(SITE, "love", ScriptPaths.AT_STOP_TRACKING, "script-hangs", Map.of("stop", "ignored"), 1);
    ScriptRequest setLogLevel = Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null);
    int hung = add(2, Scripts.standard(ScriptPaths.AT_STOP_TRACKING, "hangs and ignores its stop"));
    int queued = add(2, setLogLevel);
    int last = add(2, setLogLevel);
    await().atMost(DEADLINE).until(() -> queues.current(SITE, 2).equals(java.util.Optional.of(hung)));
    assertThat(queues.waiting(SITE, 2)).containsExactly(queued, last);

    // a queued script is taken off the queue: TERMINATED, never run; the hung one still holds the queue
    love.stopScript(SITE, 2, queued);
    ScriptOutcome dequeued = done(2, queued);
    assertThat(dequeued).extracting(ScriptOutcome::success, ScriptOutcome::processState, ScriptOutcome::queuePaused)
        .containsExactly(false, "TERMINATED", false);
    assertThat(queues.waiting(SITE, 2)).containsExactly(last);
    assertThat(queues.current(SITE, 2)).contains(hung);

    // the hung script does not answer its stop: the queue kills it, then runs the last script
    love.stopScript(SITE, 2, hung);
    ScriptOutcome killed = done(2, hung);
    assertThat(killed).extracting(ScriptOutcome::processState, ScriptOutcome::scriptState, ScriptOutcome::queuePaused)
        .containsExactly("TERMINATED", "RUNNING", false);
    assertThat(done(2, last).success()).isTrue();
    assertThat(actions.actions(SITE)).noneSatisfy(a -> {
      assertThat(a.action()).isEqualTo("script");
      assertThat(a.target()).endsWith("/" + queued);
    });
  }
}
