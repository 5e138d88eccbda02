package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/** The monitor authenticating with SASL/SCRAM-SHA-512 to a real broker that requires it, as at the sites. */
class KafkaCscMonitorSaslTests {
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void readsStatesFromABrokerThatRequiresScram() throws Exception {
    try (TwinKafkaBroker broker = new TwinKafkaBroker("ts-salkafka", "s3cret");
        TwinSchemaRegistry registry = new TwinSchemaRegistry(null)) {
      Sites sites = new Sites(new SiteProperties(null));
      for (String s : sites.ids()) {
        sites = sites.with(s, site -> {
          var e = site.endpoints();
          return site.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
              registry.url(s), broker.bootstrapServers(), s, e.kubernetesApiUrl()));
        });
      }
      Map<String, Object> sasl = Map.of("bootstrap.servers", broker.bootstrapServers(),
          "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
          "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"ts-salkafka\" password=\"s3cret\";");
      String topic = SalAvro.topic("bts", "ATDome", "summaryState");
      try (Admin admin = Admin.create(sasl)) {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
      }
      Schema schema = SalAvro.eventSchema("ATDome", false, "summaryState");
      int id = registry.register("bts", SalAvro.subject(topic), schema.toString());
      Map<String, Object> pc = new HashMap<>(sasl);
      pc.put("key.serializer", StringSerializer.class);
      pc.put("value.serializer", ByteArraySerializer.class);
      try (var producer = new KafkaProducer<String, byte[]>(pc)) {
        producer.send(new ProducerRecord<>(topic, "k", SalAvro.encode(id, schema, CscId.of("ATDome"),
            Map.of("summaryState", SummaryState.FAULT.code())))).get();
      }
      // the bts site file names KAFKA_BTS_USERNAME / KAFKA_BTS_PASSWORD
      Map<String, String> env = Map.of("KAFKA_BTS_USERNAME", "ts-salkafka", "KAFKA_BTS_PASSWORD", "s3cret",
          "KAFKA_SUMMIT_USERNAME", "ts-salkafka", "KAFKA_SUMMIT_PASSWORD", "wrong");
      KafkaCscMonitor monitor = new KafkaCscMonitor(sites,
          new HttpSchemaRegistry(sites, new SchemaRegistryProperties(Duration.ofSeconds(2), Duration.ofSeconds(5))),
          new CscProperties(Duration.ofSeconds(5), 100, Duration.ofSeconds(1), Duration.ofMillis(100),
              Duration.ofMillis(500)),
          new KafkaProperties("SASL_PLAINTEXT", "SCRAM-SHA-512", null, null, null, null),
          java.time.Clock.systemUTC(), env::get);
      monitor.start();
      try {
        await().atMost(WAIT).until(() -> monitor.historyRead("bts"));
        assertThat(monitor.statusOf("bts", List.of(CscId.of("ATDome"))).get(0).reportedState())
            .isEqualTo(SummaryState.FAULT);
        // wrong password (summit) or none at all (tts): nothing is read, nothing is made up
        assertThat(monitor.historyRead("summit")).isFalse();
        assertThat(monitor.historyRead("tts")).isFalse();
        assertThat(monitor.statusOf("summit", List.of(CscId.of("ATDome"))).get(0).effectiveState())
            .isEqualTo(SummaryState.UNKNOWN);
      } finally {
        monitor.stop();
      }
    }
  }
}
