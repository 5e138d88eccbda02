package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lsst.ts.upgrade.rehearsal.TwinKafkaBroker;
import org.lsst.ts.upgrade.rehearsal.TwinSchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.HttpSchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistryProperties;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Writer schemas are fetched beside the reading, on a broker and registry of their own: a topic
 * whose schema the registry does not give (an outage of the registry alone) waits at its record
 * while the other topics go on, and loses nothing once the registry answers again.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaCscMonitorSchemaFetchTests {
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aSchemaTheRegistryDoesNotGiveHoldsUpOnlyItsOwnTopic(CapturedOutput output) throws Exception {
    AtomicBoolean failing = new AtomicBoolean(true);
    AtomicInteger failingId = new AtomicInteger(-1);
    AtomicInteger refused = new AtomicInteger();
    TwinSchemaRegistry.Hooks hooks = new TwinSchemaRegistry.Hooks() {
      @Override
      public int before(String site, String method, String path) {
        if (failing.get() && path.endsWith("/schemas/ids/" + failingId.get())) {
          refused.incrementAndGet();
          return 503;
        }
        return 0;
      }
    };
    try (TwinKafkaBroker broker = new TwinKafkaBroker(); TwinSchemaRegistry registry = new TwinSchemaRegistry(hooks)) {
      Sites sites = new Sites(new SiteProperties(null));
      for (String s : sites.ids()) {
        sites = sites.with(s, site -> {
          var e = site.endpoints();
          return site.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
              registry.url(s), broker.bootstrapServers(), s, e.kubernetesApiUrl()));
        });
      }
      CscId dome = CscId.of("ATDome");
      CscId ptg = CscId.of("ATPtg");
      String domeTopic = SalAvro.topic("tts", "ATDome", "summaryState");
      String ptgTopic = SalAvro.topic("tts", "ATPtg", "summaryState");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(domeTopic, 1, (short) 1), new NewTopic(ptgTopic, 1, (short) 1)))
            .all().get();
      }
      Schema domeSchema = SalAvro.eventSchema("ATDome", false, "summaryState");
      Schema ptgSchema = SalAvro.eventSchema("ATPtg", false, "summaryState");
      int domeId = registry.register("tts", SalAvro.subject(domeTopic), domeSchema.toString());
      int ptgId = registry.register("tts", SalAvro.subject(ptgTopic), ptgSchema.toString());
      failingId.set(domeId);

      CscProperties props = new CscProperties(Duration.ofSeconds(5), 100, Duration.ofSeconds(1),
          Duration.ofMillis(100), Duration.ofMillis(200));
      KafkaCscMonitor monitor = new KafkaCscMonitor(sites,
          new HttpSchemaRegistry(sites, new SchemaRegistryProperties(Duration.ofSeconds(2), Duration.ofSeconds(5))),
          props, KafkaProperties.plaintext());
      Map<String, Object> pc = Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "1",
          "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class);
      monitor.start();
      try (var producer = new KafkaProducer<String, byte[]>(pc)) {
        await().atMost(WAIT).until(() -> monitor.historyRead("tts"));
        producer.send(new ProducerRecord<>(domeTopic, "k",
            SalAvro.encode(domeId, domeSchema, dome, Map.of("summaryState", SummaryState.STANDBY.code())))).get();
        producer.send(new ProducerRecord<>(ptgTopic, "k",
            SalAvro.encode(ptgId, ptgSchema, ptg, Map.of("summaryState", SummaryState.DISABLED.code())))).get();

        // ATPtg's record is applied while ATDome's waits for its schema, asked for again and again
        await().atMost(WAIT).until(() -> reported(monitor, ptg) == SummaryState.DISABLED && refused.get() >= 2);
        assertThat(reported(monitor, dome)).isEqualTo(SummaryState.UNKNOWN);
        producer.send(new ProducerRecord<>(ptgTopic, "k",
            SalAvro.encode(ptgId, ptgSchema, ptg, Map.of("summaryState", SummaryState.ENABLED.code())))).get();
        await().atMost(WAIT).until(() -> reported(monitor, ptg) == SummaryState.ENABLED);

        failing.set(false);
        await().atMost(WAIT).until(() -> reported(monitor, dome) == SummaryState.STANDBY);
        assertThat(monitor.undecodableTotal("tts")).isZero();
        assertThat(output.getOut().lines().filter(l -> l.contains("cannot fetch schema " + domeId)))
            .as("one warning for the outage, not one per retry").hasSize(1);
      } finally {
        monitor.stop();
      }
    }
  }

  private static SummaryState reported(KafkaCscMonitor monitor, CscId id) {
    return monitor.statusOf("tts", List.of(id)).get(0).reportedState();
  }
}
