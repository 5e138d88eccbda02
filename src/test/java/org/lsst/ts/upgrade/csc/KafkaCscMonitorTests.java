package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinKafka;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.lsst.ts.upgrade.site.Site.Behaviour;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The monitor against the twin's real broker, schema registry and CSC simulators. */
@RehearsalTest
@ExtendWith(OutputCaptureExtension.class)
class KafkaCscMonitorTests {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired KafkaCscMonitor monitor;
  @Autowired TwinCscs cscs;
  @Autowired TwinKafka kafka;
  @Autowired Sites sites;
  @Autowired SchemaRegistry registry;
  @Autowired CscProperties properties;

  @BeforeEach
  void historyIsRead() {
    await().atMost(WAIT).until(() -> sites.ids().stream().allMatch(monitor::historyRead));
  }

  private SummaryState effective(String site, CscId id) {
    return monitor.statusOf(site, List.of(id)).get(0).effectiveState();
  }

  /** Other test classes share the twin (a rehearsed run may have stopped this CSC): make sure it runs. */
  private SummaryState ensureRunning(String site, CscId id) {
    if (!cscs.get(site, id).beating()) {
      cscs.setBehaviour(site, id, cscs.get(site, id).behaviour() == Behaviour.FAILS_TO_START
          ? Behaviour.NORMAL : cscs.get(site, id).behaviour());
      cscs.launch(site, id);
      await().atMost(WAIT).until(() -> cscs.get(site, id).beating());
    }
    return cscs.get(site, id).state();
  }

  private CscStatus status(String site, CscId id) {
    return monitor.statusOf(site, List.of(id)).get(0);
  }

  @Test
  void everyInventoryCscIsSeenInItsTwinState() {
    for (String site : sites.ids()) {
      await().atMost(WAIT).untilAsserted(() -> {
        for (CscStatus s : monitor.snapshot(site)) {
          if (sites.require(site).csc(s.id()).isEmpty()) {
            continue;
          }
          TwinCscs.SimulatedCsc twin = cscs.get(site, s.id());
          if (twin.beating()) {
            assertThat(s.effectiveState()).as(site + "/" + s.id()).isEqualTo(twin.state());
            assertThat(s.heartbeatAge()).isLessThan(properties.heartbeatTimeout());
          }
        }
      });
    }
    assertThat(monitor.snapshot("tts")).extracting(CscStatus::id).startsWith(sites.require("tts").cscIds().get(0));
  }

  @Test
  void heartbeatLossMakesACscEffectivelyOfflineWhileItStillReportsItsState() {
    CscId id = CscId.of("ATDome");
    SummaryState before = ensureRunning("bts", id);
    await().atMost(WAIT).until(() -> effective("bts", id) == cscs.get("bts", id).state());
    SummaryState reported = cscs.get("bts", id).state();
    cscs.kill("bts", id);
    try {
      CompletableFuture<CscStates.AwaitResult> offline = monitor.await("bts", List.of(id),
          s -> s.effectiveState() == SummaryState.OFFLINE, WAIT);
      await().atMost(WAIT).until(offline::isDone);
      CscStates.AwaitResult r = offline.join();
      assertThat(r.satisfied()).isTrue();
      assertThat(r.statuses().get(0).reportedState()).isEqualTo(reported).isNotEqualTo(SummaryState.OFFLINE);
      assertThat(r.statuses().get(0).heartbeatAge()).isGreaterThan(properties.heartbeatTimeout());
    } finally {
      cscs.launch("bts", id);
      await().atMost(WAIT).until(() -> cscs.get("bts", id).beating());
      cscs.transitionTo("bts", id, before);
    }
  }

  @Test
  void awaitEndsUnsatisfiedAtItsDeadline() {
    CscId id = CscId.of("ATAOS");
    CompletableFuture<CscStates.AwaitResult> f = monitor.await("tts", List.of(id),
        s -> s.effectiveState() == SummaryState.FAULT, Duration.ofMillis(300));
    await().atMost(WAIT).until(f::isDone);
    assertThat(f.join().satisfied()).isFalse();
    assertThat(f.join().statuses()).extracting(CscStatus::id).containsExactly(id);
  }

  @Test
  void oddBehavioursAreSeenForWhatTheyAre() {
    String site = "summit";
    CscId ignores = CscId.of("ATMCS");
    CscId vanishes = CscId.of("ATPtg");
    CscId normal = CscId.of("ATDome");
    CscId failsToStart = CscId.of("ATAOS");
    CscId faultsOnEnable = CscId.of("ATHexapod");
    assertThat(cscs.get(site, ignores).behaviour()).isEqualTo(Behaviour.IGNORES_OFFLINE);
    assertThat(cscs.get(site, vanishes).behaviour()).isEqualTo(Behaviour.VANISHES);
    List<CscId> used = List.of(ignores, vanishes, normal, failsToStart, faultsOnEnable);
    Map<CscId, SummaryState> before = new java.util.HashMap<>();
    for (CscId id : used) {
      before.put(id, ensureRunning(site, id));
    }
    try {
      assertThat(cscs.transitionTo(site, ignores, SummaryState.OFFLINE).ok()).isFalse();
      assertThat(cscs.transitionTo(site, vanishes, SummaryState.OFFLINE).ok()).isTrue();
      assertThat(cscs.transitionTo(site, normal, SummaryState.OFFLINE).ok()).isTrue();
      cscs.setBehaviour(site, failsToStart, Behaviour.FAILS_TO_START);
      cscs.kill(site, failsToStart);
      cscs.launch(site, failsToStart);
      cscs.setBehaviour(site, faultsOnEnable, Behaviour.FAULTS_ON_ENABLE);
      cscs.transitionTo(site, faultsOnEnable, SummaryState.DISABLED);
      assertThat(cscs.command(site, faultsOnEnable, "enable").ok()).isFalse();

      // a normal CSC reports OFFLINE: no need to wait for its heartbeat to stop
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(status(site, normal).reportedState()).isEqualTo(SummaryState.OFFLINE);
        assertThat(status(site, normal).effectiveState()).isEqualTo(SummaryState.OFFLINE);
        assertThat(status(site, faultsOnEnable).effectiveState()).isEqualTo(SummaryState.FAULT);
      });
      await().atMost(WAIT).untilAsserted(() -> {
        // ATPtg still says STANDBY but its heartbeat is gone
        assertThat(status(site, vanishes).reportedState()).isEqualTo(SummaryState.STANDBY);
        assertThat(status(site, vanishes).effectiveState()).isEqualTo(SummaryState.OFFLINE);
        // the one that never came back up
        assertThat(status(site, failsToStart).effectiveState()).isEqualTo(SummaryState.OFFLINE);
      });
      // ATMCS ignored exitControl: STANDBY and alive, so not OFFLINE
      assertThat(status(site, ignores).effectiveState()).isEqualTo(SummaryState.STANDBY);
      assertThat(status(site, ignores).heartbeatAge()).isLessThan(properties.heartbeatTimeout());
    } finally {
      cscs.setBehaviour(site, failsToStart, Behaviour.NORMAL);
      cscs.setBehaviour(site, faultsOnEnable, Behaviour.NORMAL);
      for (CscId id : List.of(vanishes, normal, failsToStart)) {
        cscs.launch(site, id);
      }
      await().atMost(WAIT).until(() -> List.of(vanishes, normal, failsToStart).stream()
          .allMatch(id -> cscs.get(site, id).beating()));
      for (CscId id : used) {
        cscs.transitionTo(site, id, before.get(id) == SummaryState.FAULT ? SummaryState.STANDBY : before.get(id));
      }
      cscs.setBehaviour(site, vanishes, Behaviour.VANISHES);
    }
  }

  @Test
  void corruptPayloadsAreCountedAndSkippedWithoutStoppingTheConsumer() {
    String site = "tts";
    // an index no simulator has: a rehearsed run sharing the twin is not misled
    CscId id = CscId.of("ESS", 998);
    String topic = "lsst.tts.ESS.logevent_summaryState";
    long before = monitor.undecodable(site).getOrDefault(topic, 0L);
    Schema schema = SalAvro.eventSchema("ESS", true, "summaryState");
    int realId = kafka.register(site, "ESS", "summaryState", schema);
    byte[] good = SalAvro.encode(realId, schema, id, Map.of("summaryState", 3));
    byte[] badMagic = good.clone();
    badMagic[0] = 7;
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
    byte[] unknownId = ByteBuffer.allocate(good.length).put(good).putInt(1, 987654).array();
    kafka.sendRaw(site, id, "summaryState", badMagic);
    kafka.sendRaw(site, id, "summaryState", truncated);
    kafka.sendRaw(site, id, "summaryState", unknownId);
    kafka.sendRaw(site, id, "summaryState", new byte[] {0});
    kafka.sendRaw(site, id, "summaryState", good);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(status(site, id).reportedState()).isEqualTo(SummaryState.FAULT);
      assertThat(monitor.undecodable(site).get(topic)).isEqualTo(before + 4);
    });
  }

  @Test
  void undecodableRecordsAreLoggedOncePerTopicNotPerRecord(CapturedOutput output) {
    String site = "tts";
    // a component of its own: its topic is new, so no earlier test has had its warning logged
    CscId id = CscId.of("UndecodableProbe");
    String topic = SalAvro.topic(site, id.component(), "summaryState");
    Schema schema = SalAvro.eventSchema(id.component(), false, "summaryState");
    byte[] good = SalAvro.encode(kafka.register(site, id.component(), "summaryState", schema), schema, id,
        Map.of("summaryState", SummaryState.STANDBY.code()));
    byte[] badMagic = good.clone();
    badMagic[0] = 7;
    byte[] unknownId = ByteBuffer.allocate(good.length).put(good).putInt(1, 987653).array();
    kafka.sendRaw(site, id, "summaryState", badMagic);
    kafka.sendRaw(site, id, "summaryState", java.util.Arrays.copyOf(good, good.length - 4));
    kafka.sendRaw(site, id, "summaryState", unknownId);
    kafka.sendRaw(site, id, "summaryState", new byte[] {0});
    kafka.sendRaw(site, id, "summaryState", good);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(status(site, id).reportedState()).isEqualTo(SummaryState.STANDBY);
      assertThat(monitor.undecodable(site).get(topic)).isEqualTo(4L);
    });
    assertThat(output.getOut().lines().filter(l -> l.contains("skipping undecodable record(s) on " + topic)))
        .singleElement().asString().contains("WARN");
  }

  @Test
  void historyIsOnlyTheLastRecordsOfEachTopic() {
    String site = "tts";
    int history = 10;
    // a component of its own, so this test is the topic's only writer
    CscId id = CscId.of("HistoryProbe");
    List<SummaryState> cycle = List.of(SummaryState.STANDBY, SummaryState.DISABLED, SummaryState.ENABLED);
    List<SummaryState> written = new ArrayList<>();
    for (int n = 0; n < 5 * history - 1; n++) {
      written.add(cycle.get(n % cycle.size()));
    }
    written.add(SummaryState.FAULT);
    for (SummaryState state : written) {
      kafka.publish(site, id, "summaryState", Map.of("summaryState", state.code()));
    }
    kafka.flush();
    KafkaCscMonitor fresh = new KafkaCscMonitor(sites, registry, new CscProperties(properties.heartbeatTimeout(),
        history, properties.topicRefresh(), properties.pollTimeout(), properties.retryBackoff()),
        KafkaProperties.plaintext());
    List<SalEvent> applied = new CopyOnWriteArrayList<>();
    // subscribed before the start, with replay: every record applied from the history is delivered
    fresh.subscribe(site, id.component(), "summaryState", true, e -> {
      if (e.id().equals(id)) {
        applied.add(e);
      }
    });
    fresh.start();
    try {
      await().atMost(WAIT).until(() -> fresh.historyRead(site));
      assertThat(applied).isNotEmpty().hasSizeLessThanOrEqualTo(history);
      // the last ones, in order, ending with the last record written
      assertThat(applied).extracting(e -> SummaryState.fromCode(e.intField("summaryState")).orElseThrow())
          .containsExactlyElementsOf(written.subList(written.size() - applied.size(), written.size()));
      assertThat(fresh.statusOf(site, List.of(id)).get(0).reportedState()).isEqualTo(SummaryState.FAULT);
    } finally {
      fresh.stop();
    }
  }

  @Test
  void pendingAwaitsFailWhenTheMonitorStops() {
    KafkaCscMonitor fresh = new KafkaCscMonitor(sites, registry, properties, KafkaProperties.plaintext());
    fresh.start();
    CompletableFuture<CscStates.AwaitResult> pending;
    try {
      pending = fresh.await("tts", List.of(CscId.of("ATDome")), s -> false, Duration.ofHours(1));
      assertThat(pending).isNotDone();
    } finally {
      fresh.stop();
    }
    assertThat(pending).isCompletedExceptionally();
    assertThatThrownBy(pending::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(IllegalStateException.class)
        .hasMessage("CSC monitor stopped while waiting for [ATDome] of site 'tts'");
    // and one asked for after the stop fails at once instead of hanging
    assertThat(fresh.await("tts", List.of(CscId.of("ATDome")), s -> false, Duration.ofHours(1)))
        .isCompletedExceptionally();
  }

  @Test
  void decodesIntAndLongWriterSchemas() {
    String site = "bts";
    CscId id = CscId.of("ESS", 999); // no simulator has this index
    for (Schema.Type type : List.of(Schema.Type.LONG, Schema.Type.INT)) {
      Schema writer = SalAvro.eventSchema("ESS", true, "summaryState", SalAvro.KNOWN_EVENTS.get("summaryState"), type);
      SummaryState want = type == Schema.Type.LONG ? SummaryState.DISABLED : SummaryState.ENABLED;
      kafka.publish(site, id, "summaryState", writer, Map.of("summaryState", want.code()));
      await().atMost(WAIT).until(() -> status(site, id).reportedState() == want);
    }
  }

  @Test
  void aNewMonitorLearnsTheStatesFromHistory() {
    String site = "tts";
    CscId id = CscId.of("ATSpectrograph");
    SummaryState was = ensureRunning(site, id);
    cscs.transitionTo(site, id, SummaryState.DISABLED);
    await().atMost(WAIT).until(() -> effective(site, id) == SummaryState.DISABLED);
    KafkaCscMonitor fresh = new KafkaCscMonitor(sites, registry, properties, KafkaProperties.plaintext());
    fresh.start();
    try {
      CscId neverHeard = CscId.of("NeverPublished");
      SummaryState early = fresh.statusOf(site, List.of(neverHeard)).get(0).effectiveState();
      if (!fresh.historyRead(site)) {
        // until the history is read, silence proves nothing (historyRead never goes back to false)
        assertThat(early).isEqualTo(SummaryState.UNKNOWN);
      }
      await().atMost(WAIT).until(() -> fresh.historyRead(site));
      assertThat(fresh.statusOf(site, List.of(neverHeard)).get(0).effectiveState()).isEqualTo(SummaryState.OFFLINE);
      assertThat(fresh.statusOf(site, List.of(id)).get(0).effectiveState()).isEqualTo(SummaryState.DISABLED);
      assertThat(fresh.snapshot(site)).extracting(CscStatus::effectiveState).doesNotContain(SummaryState.UNKNOWN);
    } finally {
      fresh.stop();
      cscs.transitionTo(site, id, was == SummaryState.FAULT ? SummaryState.STANDBY : was);
    }
  }

  @Test
  void subscribersFollowOtherEventsSuchAsScriptQueueScripts() {
    List<SalEvent> seen = new CopyOnWriteArrayList<>();
    try (SalEventStream.Subscription sub = monitor.subscribe("summit", "ScriptQueue", "script", false, seen::add)) {
      Map<String, Object> fields = new java.util.HashMap<>(Map.of("scriptSalIndex", 100042, "path",
          "system_wide_shutdown.py", "isStandard", true, "processState", 3, "scriptState", 3));
      for (String f : List.of("timestampProcessStart", "timestampConfigureStart", "timestampConfigureEnd",
          "timestampRunStart", "timestampProcessEnd")) {
        fields.put(f, 0.0);
      }
      // until the monitor has assigned the topic the first events may pass unseen: publish until one is seen
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
        kafka.publish("summit", CscId.of("ScriptQueue", 1), "script", fields);
        return !seen.isEmpty();
      });
      SalEvent e = seen.get(0);
      assertThat(e.id()).isEqualTo(CscId.of("ScriptQueue", 1));
      assertThat(e.intField("scriptSalIndex")).isEqualTo(100042);
      assertThat(e.stringField("path")).isEqualTo("system_wide_shutdown.py");
      assertThat(monitor.recent("summit", "ScriptQueue", "script")).isNotEmpty();
      List<SalEvent> replayed = new CopyOnWriteArrayList<>();
      monitor.subscribe("summit", "ScriptQueue", "script", true, replayed::add).close();
      assertThat(replayed).extracting(ev -> ev.intField("scriptSalIndex")).contains(100042);
    }
  }
}
