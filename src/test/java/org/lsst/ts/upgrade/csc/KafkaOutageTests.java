package org.lsst.ts.upgrade.csc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.rehearsal.TwinKafkaBroker;
import org.lsst.ts.upgrade.rehearsal.TwinSchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.HttpSchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistryProperties;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.site.SummaryState;

/**
 * A Kafka outage under a wait for OFFLINE (issue 14, item 3), on a real broker of its own: while
 * the broker is down the monitor is blind, the CSCs' effective state is UNKNOWN (not OFFLINE, as a
 * lost heartbeat would make it) and the wait goes on; once the broker is back the wait ends when,
 * and only when, the CSCs really are OFFLINE. A quiet site (every CSC OFFLINE, nothing published)
 * on a reachable broker is not blind.
 */
class KafkaOutageTests {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);

  @Test
  void aWaitForOfflineOutlastsAKafkaOutageAndEndsOnceTheCscsAreSeenOffline() throws Exception {
    try (TwinKafkaBroker broker = new TwinKafkaBroker(); TwinSchemaRegistry registry = new TwinSchemaRegistry(null)) {
      Sites sites = new Sites(new SiteProperties(null));
      for (String site : List.of("tts", "summit", "bts")) {
        sites = sites.with(site, s -> {
          var e = s.endpoints();
          return s.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
              registry.url(site), broker.bootstrapServers(), site, e.kubernetesApiUrl()));
        });
      }
      Csc dome = new Csc("ATDome", registry);
      Csc ptg = new Csc("ATPtg", registry);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(dome.stateTopic, 1, (short) 1),
            new NewTopic(dome.beatTopic, 1, (short) 1), new NewTopic(ptg.stateTopic, 1, (short) 1),
            new NewTopic(ptg.beatTopic, 1, (short) 1))).all().get();
      }
      CscProperties props = new CscProperties(HEARTBEAT_TIMEOUT, 100, Duration.ofSeconds(1),
          Duration.ofMillis(100), Duration.ofMillis(200));
      KafkaCscMonitor monitor = new KafkaCscMonitor(sites,
          new HttpSchemaRegistry(sites, new SchemaRegistryProperties(Duration.ofSeconds(2), Duration.ofSeconds(5))),
          props, KafkaProperties.plaintext());
      Map<String, Object> pc = Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "1",
          "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class,
          "max.block.ms", 2000);
      ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
      monitor.start();
      try (var producer = new KafkaProducer<String, byte[]>(pc)) {
        await().atMost(WAIT).until(() -> monitor.historyRead("tts"));
        // both CSCs STANDBY and alive; they heartbeat whatever the broker does, as CSCs do
        AtomicBoolean domeBeats = new AtomicBoolean(true);
        AtomicBoolean ptgBeats = new AtomicBoolean(true);
        dome.state(producer, SummaryState.STANDBY);
        ptg.state(producer, SummaryState.STANDBY);
        beat.scheduleWithFixedDelay(() -> {
          if (domeBeats.get()) {
            dome.beat(producer);
          }
          if (ptgBeats.get()) {
            ptg.beat(producer);
          }
        }, 0, 500, TimeUnit.MILLISECONDS);
        List<CscId> both = List.of(dome.id, ptg.id);
        await().atMost(WAIT).until(() -> states(monitor, both).equals(List.of(SummaryState.STANDBY, SummaryState.STANDBY)));
        assertThat(monitor.blindness("tts")).isEmpty();
        java.time.Instant before = monitor.seeingSince("tts").orElseThrow();

        CompletableFuture<CscStates.AwaitResult> offline = monitor.await("tts", both,
            s -> s.effectiveState() == SummaryState.OFFLINE, Duration.ofMinutes(10));

        broker.stop();

        // blind after the heartbeat timeout: UNKNOWN, not OFFLINE, and it stays so
        await().atMost(WAIT).until(() -> monitor.blindness("tts").isPresent());
        await().atMost(WAIT).until(() -> monitor.statusOf("tts", both).stream()
            .allMatch(s -> s.heartbeatAge() != null && s.heartbeatAge().compareTo(HEARTBEAT_TIMEOUT.multipliedBy(3)) > 0));
        List<CscStatus> blind = monitor.statusOf("tts", both);
        assertThat(blind).extracting(CscStatus::effectiveState).containsOnly(SummaryState.UNKNOWN);
        assertThat(blind).extracting(CscStatus::reportedState).containsOnly(SummaryState.STANDBY);
        assertThat(monitor.snapshot("tts")).extracting(CscStatus::effectiveState).containsOnly(SummaryState.UNKNOWN);
        assertThat(offline).isNotDone();
        assertThat(monitor.blindness("tts").orElseThrow()).contains("no record from tts's Kafka for")
            .contains("broker " + broker.bootstrapServers() + " unreachable");
        assertThat(monitor.seeingSince("tts")).as("blind: seeing since nothing").isEmpty();
        java.time.Instant down = java.time.Instant.now();

        broker.start();

        // records flow again: the CSCs are seen alive and STANDBY, and the wait goes on
        await().atMost(WAIT).until(() -> monitor.blindness("tts").isEmpty()
            && states(monitor, both).equals(List.of(SummaryState.STANDBY, SummaryState.STANDBY)));
        assertThat(offline).isNotDone();
        // a new stretch of contact: what was published before it may never have been read
        assertThat(monitor.seeingSince("tts")).get().isNotEqualTo(before)
            .satisfies(t -> assertThat(t).isAfter(down));

        // now they go: ATDome reports OFFLINE, ATPtg vanishes without a word (heartbeat loss)
        domeBeats.set(false);
        ptgBeats.set(false);
        await().atMost(WAIT).ignoreExceptions().until(() -> {
          dome.state(producer, SummaryState.OFFLINE);
          return monitor.statusOf("tts", List.of(dome.id)).get(0).reportedState() == SummaryState.OFFLINE;
        });
        CscStates.AwaitResult result = offline.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(result.satisfied()).isTrue();
        assertThat(result.statuses()).extracting(CscStatus::reportedState)
            .containsExactly(SummaryState.OFFLINE, SummaryState.STANDBY);

        // a quiet site on a reachable broker is not blind: OFFLINE stays OFFLINE
        await().atMost(WAIT).until(() -> monitor.statusOf("tts", both).stream()
            .allMatch(s -> s.heartbeatAge().compareTo(HEARTBEAT_TIMEOUT.multipliedBy(3)) > 0));
        assertThat(monitor.blindness("tts")).isEmpty();
        assertThat(states(monitor, both)).containsOnly(SummaryState.OFFLINE);
      } finally {
        beat.shutdownNow();
        monitor.stop();
      }
    }
  }

  private static List<SummaryState> states(KafkaCscMonitor monitor, List<CscId> ids) {
    return monitor.statusOf("tts", ids).stream().map(CscStatus::effectiveState).toList();
  }

  /** One CSC's two topics and schemas on the test's broker and registry. */
  private static final class Csc {
    final CscId id;
    final String stateTopic;
    final String beatTopic;
    final Schema stateSchema;
    final Schema beatSchema;
    final int stateId;
    final int beatId;

    Csc(String name, TwinSchemaRegistry registry) {
      id = CscId.of(name);
      stateTopic = SalAvro.topic("tts", name, "summaryState");
      beatTopic = SalAvro.topic("tts", name, "heartbeat");
      stateSchema = SalAvro.eventSchema(name, false, "summaryState");
      beatSchema = SalAvro.eventSchema(name, false, "heartbeat");
      stateId = registry.register("tts", SalAvro.subject(stateTopic), stateSchema.toString());
      beatId = registry.register("tts", SalAvro.subject(beatTopic), beatSchema.toString());
    }

    void state(KafkaProducer<String, byte[]> producer, SummaryState state) throws Exception {
      producer.send(new ProducerRecord<>(stateTopic, "k",
          SalAvro.encode(stateId, stateSchema, id, Map.of("summaryState", state.code())))).get(10, TimeUnit.SECONDS);
    }

    /** Fire and forget: while the broker is down the record waits in the producer, or is lost. */
    void beat(KafkaProducer<String, byte[]> producer) {
      try {
        producer.send(new ProducerRecord<>(beatTopic, "k",
            SalAvro.encode(beatId, beatSchema, id, Map.of("heartbeat", true))));
      } catch (RuntimeException e) {
        // the broker is down: a CSC's heartbeat is lost then too
      }
    }
  }
}
