package org.lsst.ts.upgrade.love;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinLoveManager;
import org.lsst.ts.upgrade.rehearsal.TwinLoveQueues;
import org.lsst.ts.upgrade.rehearsal.TwinServices;
import org.lsst.ts.upgrade.site.Site.StateRequest;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/** The production LOVE client against the twin's LOVE-manager (real HTTP) and ScriptQueue events (real Kafka). */
@RehearsalTest
class LoveClientTests {
  static final String SITE = "tts";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @Autowired Love love;
  @Autowired Sites sites;
  @Autowired ScriptEventStore store;
  @Autowired ScriptAddJournal journal;
  @Autowired LoveProperties properties;
  @Autowired ObjectProvider<CscStates> cscStates;
  @Autowired CscStates monitor;
  @Autowired TwinLoveManager manager;
  @Autowired TwinLoveQueues queues;
  @Autowired TwinCscs cscs;
  @Autowired FaultRegistry faults;
  @Autowired TwinServices services;
  @Autowired ActionLog actions;

  final List<Long> injected = new java.util.ArrayList<>();

  @AfterEach
  void restore() {
    injected.forEach(faults::remove);
    services.setUp(SITE, TwinServices.LOVE, true);
    for (int q = 1; q <= 3; q++) {
      CscId id = CscId.of("ScriptQueue", q);
      if (!cscs.get(SITE, id).beating()) {
        cscs.launch(SITE, id);
        await().atMost(DEADLINE).until(() -> cscs.get(SITE, id).beating());
      }
      cscs.transitionTo(SITE, id, SummaryState.ENABLED);
      if (!queues.running(SITE, q)) {
        queues.resume(SITE, q);
      }
      int queue = q;
      // a script left hanging by a failed test would hold its queue for the next tests
      queues.current(SITE, q).ifPresent(i -> queues.stopScripts(SITE, queue, List.of(i), true));
      await().atMost(DEADLINE).until(() -> monitor.statusOf(SITE, List.of(id)).get(0).effectiveState()
          == SummaryState.ENABLED);
    }
  }

  FaultRegistry.Fault inject(String target, String kind, Map<String, String> params, int times) {
    FaultRegistry.Fault f = faults.inject(SITE, "love", target, kind, params, times);
    injected.add(f.id());
    return f;
  }

  LoveClient clientAs(String user, String password, Duration requestTimeout) {
    return clientAs(user, password, requestTimeout, properties.addRecoveryWait());
  }

  LoveClient clientAs(String user, String password, Duration requestTimeout, Duration recoveryWait) {
    LoveProperties p = new LoveProperties(properties.connectTimeout(), requestTimeout, recoveryWait,
        20, "cmd_showQueue", "cmd_showScript");
    return new LoveClient(new LoveHttp(sites, p, (id, s) -> new LoveHttp.Credentials(user, password)), store,
        journal, cscStates, p);
  }

  /** A new client instance (as after a restart of the orchestrator) with its own HTTP session. */
  LoveClient clientWith(ScriptEventStore events, ObjectProvider<CscStates> states, LoveProperties p) {
    return new LoveClient(new LoveHttp(sites, p, (id, s) -> new LoveHttp.Credentials("rehearsal-operator",
        "rehearsal-love-password")), events, journal, states, p);
  }

  LoveClient freshClient() {
    return clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10));
  }

  /** The twin's add-script entries whose descr carries the tag (what the ScriptQueue received over HTTP). */
  List<ActionLog.Action> addsTagged(String tag) {
    return actions.actions(SITE).stream().filter(a -> a.action().equals("add-script")
        && String.valueOf(a.params().get("descr")).contains("[tag:" + tag + "]")).toList();
  }

  /** The CSC monitor as a client sees it when it starts: not there at first, then there. */
  ObjectProvider<CscStates> unavailableAtFirst() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    return new ObjectProvider<>() {
      @Override
      public CscStates getObject() {
        return monitor;
      }

      @Override
      public CscStates getObject(Object... args) {
        return monitor;
      }

      @Override
      public CscStates getIfAvailable() {
        return calls.getAndIncrement() == 0 ? null : monitor;
      }

      @Override
      public CscStates getIfUnique() {
        return getIfAvailable();
      }
    };
  }

  long count(String action, String target) {
    return actions.actions(SITE).stream().filter(a -> a.action().equals(action)
        && (target == null || a.target().equals(target))).count();
  }

  static ScriptRequest tagged(ScriptRequest r) {
    return r.withTag("test-" + UUID.randomUUID());
  }

  ScriptOutcome done(int queue, int index) throws Exception {
    return love.whenDone(SITE, queue, index).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void logsInOnceReusesTheTokenAndLogsInAgainOn401() {
    LoveClient client = clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10));
    long logins = count("login", null);
    client.command(SITE, CscId.of("ATDome"), "cmd_setLogLevel", Map.of("level", 20));
    client.command(SITE, CscId.of("ATDome"), "cmd_setLogLevel", Map.of("level", 20));
    assertThat(count("login", null) - logins).isEqualTo(1);
    manager.expireTokens();
    client.command(SITE, CscId.of("ATDome"), "cmd_setLogLevel", Map.of("level", 20));
    assertThat(count("login", null) - logins).isEqualTo(2);
    long logouts = count("logout", null);
    client.stop();
    assertThat(count("logout", null) - logouts).isEqualTo(1);
  }

  @Test
  void thePreflightsLoginSaysWhetherTheUserMayCommand() {
    assertThat(clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10)).mayCommand(SITE)).isTrue();
    assertThat(clientAs("observer", "observer", Duration.ofSeconds(10)).mayCommand(SITE)).isFalse();
    assertThatThrownBy(() -> clientAs("rehearsal-operator", "wrong", Duration.ofSeconds(10)).mayCommand(SITE))
        .isInstanceOf(LoveException.BadCredentials.class).hasMessageContaining("login refused (400)");
  }

  @Test
  void eachFailureHasItsOwnException() {
    assertThatThrownBy(() -> clientAs("rehearsal-operator", "wrong", Duration.ofSeconds(10))
        .command(SITE, CscId.of("ATDome"), "cmd_start", Map.of()))
        .isInstanceOf(LoveException.BadCredentials.class).hasMessageContaining("tts").hasMessageContaining("400");
    assertThatThrownBy(() -> clientAs("observer", "observer", Duration.ofSeconds(10))
        .command(SITE, CscId.of("ATDome"), "cmd_start", Map.of()))
        .isInstanceOf(LoveException.Forbidden.class).hasMessageContaining("not allowed to command the observatory");

    inject("ATDome", "http-500", Map.of(), 1);
    assertThatThrownBy(() -> love.command(SITE, CscId.of("ATDome"), "cmd_start", Map.of()))
        .isInstanceOfSatisfying(LoveException.CommandFailed.class, e -> assertThat(e.status()).isEqualTo(500))
        .hasMessageContaining("Server Error (500)").hasMessageNotContaining("<h1>");

    inject("ATDome", "http-504", Map.of("executed", "false"), 1);
    assertThatThrownBy(() -> love.command(SITE, CscId.of("ATDome"), "cmd_start", Map.of()))
        .isInstanceOf(LoveException.CommandTimeout.class).hasMessageContaining("504");

    // LOVE answers after its 10 s (scaled) command timeout: a client with a shorter one gives up first
    inject("get-token", "http-504", Map.of(), 1);
    assertThatThrownBy(() -> clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofMillis(5))
        .command(SITE, CscId.of("ATDome"), "cmd_start", Map.of()))
        .isInstanceOf(LoveException.Timeout.class).hasMessageContaining("no answer");

    services.setUp(SITE, TwinServices.LOVE, false);
    assertThatThrownBy(() -> clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10))
        .command(SITE, CscId.of("ATDome"), "cmd_start", Map.of()))
        .isInstanceOf(LoveException.Unavailable.class).hasMessageContaining("503");
  }

  @Test
  void aFailedStateCommandIsANon200AndADirectCommandActsOnTheSimulator() {
    CscId dome = CscId.of("ATDomeTrajectory");
    cscs.transitionTo(SITE, dome, SummaryState.STANDBY);
    assertThat(love.command(SITE, dome, "cmd_start", Map.of())).isNotBlank();
    assertThat(cscs.get(SITE, dome).state()).isEqualTo(SummaryState.DISABLED);
    assertThatThrownBy(() -> love.command(SITE, dome, "cmd_start", Map.of()))
        .isInstanceOf(LoveException.CommandFailed.class);
    love.command(SITE, dome, "cmd_enable", Map.of());
    assertThat(cscs.get(SITE, dome).state()).isEqualTo(SummaryState.ENABLED);
  }

  @Test
  void setSummaryStateDrivesTheSimulatedCscsAndSucceeds() throws Exception {
    CscId ess = CscId.of("ESS", 101);
    int index = love.addScript(SITE, 3, tagged(Scripts.setSummaryState(List.of(new StateRequest("ATDome", "STANDBY"),
        new StateRequest("ESS:*", "DISABLED")), false, null)));
    assertThat(index).isGreaterThan(300_000);
    ScriptOutcome o = done(3, index);
    assertThat(o.success()).as(o.message()).isTrue();
    assertThat(o).extracting(ScriptOutcome::processState, ScriptOutcome::scriptState).containsExactly("DONE", "DONE");
    assertThat(love.outcome(SITE, 3, index)).contains(o);
    assertThat(cscs.get(SITE, CscId.of("ATDome")).state()).isEqualTo(SummaryState.STANDBY);
    assertThat(cscs.get(SITE, ess).state()).isEqualTo(SummaryState.DISABLED);
    // the CSC monitor (Kafka summaryState) sees what the script did
    await().atMost(DEADLINE).until(() -> monitor.statusOf(SITE, List.of(ess)).get(0).effectiveState()
        == SummaryState.DISABLED);
    int back = love.addScript(SITE, 3, tagged(Scripts.setSummaryState(List.of(new StateRequest("ATDome", "ENABLED"),
        new StateRequest("ESS:*", "ENABLED")), false, null)));
    assertThat(done(3, back).success()).isTrue();
    assertThat(cscs.get(SITE, ess).state()).isEqualTo(SummaryState.ENABLED);
  }

  @Test
  void askedAgainTheQueuePublishesAFinishedScriptsFinalStateAndRefusesAnIndexItDoesNotHold() throws Exception {
    int index = love.addScript(SITE, 3, tagged(Scripts.setSummaryState(List.of(new StateRequest("ATDome",
        "ENABLED")), false, null)));
    assertThat(done(3, index).success()).isTrue();
    // the end heard again through Kafka: the store is told of the script once more (cmd_showScript)
    java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
    Runnable counter = heard::incrementAndGet;
    store.onChange(counter);
    try {
      love.askScriptState(SITE, 3, index);
      assertThat(count("show-queue", SITE + "/ScriptQueue:3")).isPositive();
      assertThat(actions.actions(SITE).stream().filter(a -> a.action().equals("show-script")
          && Integer.valueOf(index).equals(a.params().get("index"))).count()).isEqualTo(1);
      await().atMost(DEADLINE).until(() -> heard.get() >= 2); // the queue event and the script event
      assertThat(store.latest(SITE, 3, index)).get().extracting(ScriptEvent::processState, ScriptEvent::scriptState)
          .containsExactly(ScriptStates.P_DONE, ScriptStates.S_DONE);
    } finally {
      store.removeOnChange(counter);
    }
    assertThatThrownBy(() -> love.askScriptState(SITE, 3, 399_999))
        .isInstanceOf(LoveException.CommandFailed.class);
  }

  @Test
  void eachFailureKindIsAFailureNamingTheScriptAndItsStates() throws Exception {
    String path = ScriptPaths.AT_STOP_TRACKING;
    record Kind(String state, String process, String script, boolean pauses) {}
    for (Kind k : List.of(new Kind("FAILED", "DONE", "FAILED", true),
        new Kind("CONFIGURE_FAILED", "CONFIGURE_FAILED", "CONFIGURE_FAILED", true),
        new Kind("LOADFAILED", "LOADFAILED", "UNKNOWN", true),
        new Kind("TERMINATED", "TERMINATED", "RUNNING", false),
        new Kind("STOPPED", "DONE", "STOPPED", false))) {
      faults.inject(SITE, "love", path, "script-fails", Map.of("state", k.state()), 1);
      int index = love.addScript(SITE, 2, tagged(Scripts.standard(path, "failure " + k.state())));
      ScriptOutcome o = done(2, index);
      assertThat(o.success()).isFalse();
      assertThat(o.processState()).as(k.state()).isEqualTo(k.process());
      assertThat(o.scriptState()).as(k.state()).isEqualTo(k.script());
      assertThat(o.queuePaused()).as(k.state()).isEqualTo(k.pauses());
      assertThat(o.message()).contains(path).contains(Integer.toString(index));
      if (k.pauses()) {
        assertThat(o.message()).contains("PAUSED").contains("cmd_resume");
        await().atMost(DEADLINE).until(() -> !queues.running(SITE, 2));
        love.resumeQueue(SITE, 2);
      }
    }
  }

  @Test
  void aHungScriptIsStoppedAndTheScriptQueuedBehindItRuns() throws Exception {
    inject(ScriptPaths.AT_STOP_TRACKING, "script-hangs", Map.of(), 1);
    long stops = count("stop-scripts", SITE + "/ScriptQueue:2");
    int hung = love.addScript(SITE, 2, tagged(Scripts.standard(ScriptPaths.AT_STOP_TRACKING, "hangs")));
    await().atMost(DEADLINE).until(() -> count("script-hangs", SITE + "/ScriptQueue:2/" + hung) == 1);
    int next = love.addScript(SITE, 2, tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10),
        null)));
    // one script at a time: the next one waits behind the hung one for as long as it hangs
    assertThat(queues.current(SITE, 2)).contains(hung);
    assertThat(queues.waiting(SITE, 2)).contains(next);
    assertThat(love.outcome(SITE, 2, hung)).isEmpty();
    assertThat(love.outcome(SITE, 2, next)).isEmpty();

    // LOVE down: the stop fails like any command, and the script keeps hanging
    services.setUp(SITE, TwinServices.LOVE, false);
    assertThatThrownBy(() -> love.stopScript(SITE, 2, hung)).isInstanceOf(LoveException.Unavailable.class)
        .hasMessageContaining("cmd_stopScripts");
    services.setUp(SITE, TwinServices.LOVE, true);
    assertThat(queues.current(SITE, 2)).contains(hung);

    love.stopScript(SITE, 2, hung);
    ScriptOutcome stopped = done(2, hung);
    assertThat(stopped).extracting(ScriptOutcome::success, ScriptOutcome::processState, ScriptOutcome::scriptState,
        ScriptOutcome::queuePaused).containsExactly(false, "DONE", "STOPPED", false);
    assertThat(stopped.message()).contains(ScriptPaths.AT_STOP_TRACKING).contains("STOPPED")
        .doesNotContain("cmd_resume");
    ScriptOutcome after = done(2, next);
    assertThat(after.success()).as(after.message()).isTrue();
    assertThat(count("stop-scripts", SITE + "/ScriptQueue:2") - stops).isEqualTo(1);
    assertThat(actions.actions(SITE)).anySatisfy(a -> {
      assertThat(a.action()).isEqualTo("script-ended");
      assertThat(a.target()).isEqualTo(SITE + "/ScriptQueue:2/" + hung);
      assertThat(a.params()).containsEntry("scriptState", "STOPPED");
    });

    // idempotent: the client sends nothing for a script that has ended, and the queue ignores one it no longer holds
    love.stopScript(SITE, 2, hung);
    assertThat(count("stop-scripts", SITE + "/ScriptQueue:2") - stops).isEqualTo(1);
    assertThat(love.command(SITE, CscId.of("ScriptQueue", 2), LoveClient.CMD_STOP_SCRIPTS,
        Map.of("salIndices", List.of(hung), "length", 1, "terminate", false))).isNotBlank();
    assertThat(queues.running(SITE, 2)).isTrue();
    assertThat(love.outcome(SITE, 2, hung)).contains(stopped);
  }

  @Test
  void anUnknownScriptPathFailsTheAddItself() {
    assertThatThrownBy(() -> love.addScript(SITE, 3, tagged(Scripts.standard("auxtel/no_such_script.py", "x"))))
        .isInstanceOfSatisfying(LoveException.CommandFailed.class, e -> assertThat(e.status()).isEqualTo(500))
        .hasMessageContaining("auxtel/no_such_script.py").hasMessageContaining("ScriptQueue:3");
    assertThatThrownBy(() -> love.addScript(SITE, 3, tagged(Scripts.standard("../etc/passwd.py", "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a script path");
  }

  @Test
  void aPausedQueueRunsNothingUntilResumed() throws Exception {
    ScriptRequest bad = tagged(new ScriptRequest(ScriptPaths.SYSTEM_WIDE_SHUTDOWN, true,
        Map.of("reason", "no user given"), "bad config", null));
    int failed = love.addScript(SITE, 1, bad);
    ScriptOutcome o = done(1, failed);
    assertThat(o.processState()).isEqualTo("CONFIGURE_FAILED");
    assertThat(o.queuePaused()).isTrue();
    int next = love.addScript(SITE, 1, tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null)));
    await().atMost(DEADLINE).until(() -> !queues.running(SITE, 1));
    assertThat(queues.waiting(SITE, 1)).contains(next);
    assertThat(love.outcome(SITE, 1, next)).isEmpty();
    love.resumeQueue(SITE, 1);
    assertThat(done(1, next).success()).isTrue();
  }

  @Test
  void aTimedOutAddThatWentThroughIsNotAddedTwice() throws Exception {
    ScriptRequest r = tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null));
    long adds = count("add-script", null);
    inject("ScriptQueue:3", "http-504", Map.of(), 1); // LOVE times out, but the queue did add it
    int index = love.addScript(SITE, 3, r);
    assertThat(count("add-script", null) - adds).isEqualTo(1);
    // the tag reached the queue in descr (over HTTP), on the script whose index was returned
    assertThat(addsTagged(r.tag())).singleElement().satisfies(a -> assertThat(a.params().get("index")).isEqualTo(index));
    assertThat(done(3, index).success()).isTrue();
    // the same request again (a retried job) is recognised by its tag
    assertThat(love.addScript(SITE, 3, r)).isEqualTo(index);
    assertThat(count("add-script", null) - adds).isEqualTo(1);

    ScriptRequest lost = tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null));
    inject("ScriptQueue:3", "http-504", Map.of("executed", "false"), 1); // this time it was not added
    LoveClient quick = clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10),
        Duration.ofSeconds(1));
    int again = quick.addScript(SITE, 3, lost);
    assertThat(count("add-script", null) - adds).isEqualTo(2);
    assertThat(done(3, again).success()).isTrue();
  }

  @Test
  void anAddRefusedWith503LeavesNothingToLookForAndItsRetryAddsAtOnce() throws Exception {
    ScriptRequest r = tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null));
    long adds = count("add-script", null);
    inject("ScriptQueue:3", "http-503", Map.of(), 1);
    assertThatThrownBy(() -> love.addScript(SITE, 3, r)).isInstanceOfSatisfying(LoveException.Unavailable.class,
        e -> assertThat(e.notDone()).as("a 503 did nothing").isTrue()).hasMessageContaining("503");
    // certainly not added: nothing in the journal, so the retry does not first watch the queue for it
    assertThat(journal.find(SITE, 3, r.tag())).isEmpty();
    LoveClient patient = clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10),
        Duration.ofHours(1));
    int index = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> patient.addScript(SITE, 3, r),
        "a retry that watched the queue for the refused add would wait its hour");
    assertThat(count("add-script", null) - adds).isEqualTo(1);
    assertThat(done(3, index).success()).isTrue();

    // a 504 may have added it: that add stays in the journal, to be looked for by the next attempt
    ScriptRequest unsure = tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null));
    inject("ScriptQueue:3", "http-504", Map.of("executed", "false"), 2);
    LoveClient quick = clientAs("rehearsal-operator", "rehearsal-love-password", Duration.ofSeconds(10),
        Duration.ofMillis(500));
    assertThatThrownBy(() -> quick.addScript(SITE, 3, unsure)).isInstanceOf(LoveException.CommandTimeout.class);
    assertThat(journal.find(SITE, 3, unsure.tag())).hasValueSatisfying(e -> assertThat(e.index()).isNull());
  }

  @Test
  void aQueueThatIsNotEnabledRefusesScripts() {
    cscs.transitionTo(SITE, CscId.of("ScriptQueue", 2), SummaryState.DISABLED);
    await().atMost(DEADLINE).until(() -> store.queue(SITE, 2).map(q -> !q.enabled()).orElse(false));
    assertThatThrownBy(() -> love.addScript(SITE, 2, tagged(Scripts.standard(ScriptPaths.AT_STOP_TRACKING, "x"))))
        .isInstanceOfSatisfying(LoveException.QueueNotEnabled.class, e -> assertThat(e.queue()).isEqualTo(2))
        .hasMessageContaining("ScriptQueue:2");
    cscs.transitionTo(SITE, CscId.of("ScriptQueue", 2), SummaryState.OFFLINE);
    assertThat(cscs.get(SITE, CscId.of("ScriptQueue", 2)).beating()).isFalse();
    assertThatThrownBy(() -> love.addScript(SITE, 2, tagged(Scripts.standard(ScriptPaths.AT_STOP_TRACKING, "x"))))
        .isInstanceOf(LoveException.QueueNotEnabled.class);
  }

  @Test
  void aQueueThatIsNotEnabledIsReportedAsSuchEvenWhenItsStateWasNotKnownBeforeTheAdd() {
    CscId q2 = CscId.of("ScriptQueue", 2);
    LoveProperties p = new LoveProperties(properties.connectTimeout(), Duration.ofSeconds(10), Duration.ofSeconds(5),
        20, "cmd_showQueue", "cmd_showScript");
    cscs.transitionTo(SITE, q2, SummaryState.DISABLED);
    await().atMost(DEADLINE).until(() -> monitor.statusOf(SITE, List.of(q2)).get(0).effectiveState()
        == SummaryState.DISABLED);
    // a client that has heard nothing yet (no monitor, no queue event) sends the add: LOVE answers 500
    long refused = count("cmd_add-failed", SITE + "/" + q2);
    ScriptRequest r = tagged(Scripts.standard(ScriptPaths.AT_STOP_TRACKING, "x"));
    assertThatThrownBy(() -> clientWith(new ScriptEventStore(), unavailableAtFirst(), p).addScript(SITE, 2, r))
        .isInstanceOfSatisfying(LoveException.QueueNotEnabled.class, e -> assertThat(e.queue()).isEqualTo(2))
        .hasMessageContaining("ScriptQueue:2 is DISABLED").hasMessageContaining("refused the script");
    assertThat(count("cmd_add-failed", SITE + "/" + q2) - refused).isEqualTo(1);

    // the queue is gone: LOVE answers 504 (no ack), which is not a timeout to retry but a queue not ENABLED
    cscs.transitionTo(SITE, q2, SummaryState.OFFLINE);
    await().atMost(DEADLINE).until(() -> monitor.statusOf(SITE, List.of(q2)).get(0).effectiveState()
        == SummaryState.OFFLINE);
    long requests = count("POST /manager/api/cmd/", null);
    ScriptRequest r2 = tagged(Scripts.standard(ScriptPaths.AT_STOP_TRACKING, "x"));
    assertThatThrownBy(() -> clientWith(new ScriptEventStore(), unavailableAtFirst(), p).addScript(SITE, 2, r2))
        .isInstanceOfSatisfying(LoveException.QueueNotEnabled.class, e -> assertThat(e.queue()).isEqualTo(2))
        .hasMessageContaining("ScriptQueue:2 is OFFLINE");
    assertThat(count("POST /manager/api/cmd/", null) - requests).as("sent once, not retried").isEqualTo(1);
    assertThat(addsTagged(r.tag())).isEmpty();
    assertThat(addsTagged(r2.tag())).isEmpty();
  }

  @Test
  void aTimedOutAddIsFoundAgainByANewClientInstanceAfterARestart() throws Exception {
    // 1. the add was acknowledged late (504) but went through; the step then died before it could
    //    keep the index (an orchestrator restart): the retried step runs on a new client instance
    ScriptRequest r = tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null));
    inject("ScriptQueue:3", "http-504", Map.of(), 1);
    int index = freshClient().addScript(SITE, 3, r);
    assertThat(freshClient().addScript(SITE, 3, r)).isEqualTo(index);
    assertThat(addsTagged(r.tag())).hasSize(1);
    assertThat(done(3, index).success()).isTrue();

    // 2. the orchestrator died while LOVE had not answered yet (the script was added and ran):
    //    its Kafka view was behind, so it could not have found the script before it died
    ScriptRequest lost = tagged(Scripts.runCommand(CscId.of("ATDome"), "setLogLevel", Map.of("level", 10), null));
    inject("ScriptQueue:3", "http-504", Map.of(), 1);
    LoveProperties slow = new LoveProperties(properties.connectTimeout(), Duration.ofSeconds(10),
        Duration.ofSeconds(60), 20, "cmd_showQueue", "cmd_showScript");
    LoveClient dying = clientWith(new ScriptEventStore(), cscStates, slow);
    java.util.concurrent.atomic.AtomicReference<Throwable> died = new java.util.concurrent.atomic.AtomicReference<>();
    Thread step = new Thread(() -> {
      try {
        dying.addScript(SITE, 3, lost);
      } catch (RuntimeException e) {
        died.set(e);
      }
    }, "dying-step");
    step.start();
    await().atMost(DEADLINE).until(() -> addsTagged(lost.tag()).size() == 1);
    int ran = (Integer) addsTagged(lost.tag()).get(0).params().get("index");
    assertThat(done(3, ran).success()).isTrue();
    step.interrupt();
    await().atMost(DEADLINE).until(() -> !step.isAlive());
    assertThat(died.get()).isInstanceOf(LoveException.Unavailable.class).hasMessageContaining("interrupted");
    // the retry, on a new instance, finds the script in what the queue reported: not added twice
    assertThat(freshClient().addScript(SITE, 3, lost)).isEqualTo(ran);
    assertThat(addsTagged(lost.tag())).hasSize(1);
  }

  @Test
  void setSummaryStateCanSendItsOwnQueueOfflineLastAfterReportingDone() throws Exception {
    int index = love.addScript(SITE, 1, tagged(Scripts.setSummaryState(List.of(
        new StateRequest("ScriptQueue:3", "OFFLINE"), new StateRequest("ScriptQueue:2", "OFFLINE"),
        new StateRequest("ScriptQueue:1", "OFFLINE")), false, null)));
    ScriptOutcome o = done(1, index);
    assertThat(o.success()).as(o.message()).isTrue();
    await().atMost(DEADLINE).until(() -> !cscs.get(SITE, CscId.of("ScriptQueue", 1)).beating());
    for (int q = 1; q <= 3; q++) {
      assertThat(cscs.get(SITE, CscId.of("ScriptQueue", q)).state()).isEqualTo(SummaryState.OFFLINE);
    }
  }
}
