package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

/**
 * A broker restart under a running monitor, on a broker of its own (not the shared application's):
 * the monitor must reconnect by itself and go on applying events.
 */
class KafkaCscMonitorReconnectTests {
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void reconnectsAfterTheBrokerRestarts() throws Exception {
    try (TwinKafkaBroker broker = new TwinKafkaBroker(); TwinSchemaRegistry registry = new TwinSchemaRegistry(null)) {
      Sites sites = new Sites(new SiteProperties(null));
      sites = sites.with("tts", s -> {
        var e = s.endpoints();
        return s.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
            registry.url("tts"), broker.bootstrapServers(), "tts", e.kubernetesApiUrl()));
      });
      // the other sites point at nothing reachable: their consumers retry quietly
      for (String other : List.of("summit", "bts")) {
        sites = sites.with(other, s -> {
          var e = s.endpoints();
          return s.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
              registry.url(other), broker.bootstrapServers(), other, e.kubernetesApiUrl()));
        });
      }
      CscId dome = CscId.of("ATDome");
      String stateTopic = SalAvro.topic("tts", "ATDome", "summaryState");
      String beatTopic = SalAvro.topic("tts", "ATDome", "heartbeat");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(stateTopic, 1, (short) 1), new NewTopic(beatTopic, 1, (short) 1)))
            .all().get();
      }
      Schema stateSchema = SalAvro.eventSchema("ATDome", false, "summaryState");
      Schema beatSchema = SalAvro.eventSchema("ATDome", false, "heartbeat");
      int stateId = registry.register("tts", SalAvro.subject(stateTopic), stateSchema.toString());
      int beatId = registry.register("tts", SalAvro.subject(beatTopic), beatSchema.toString());

      CscProperties props = new CscProperties(Duration.ofSeconds(5), 100, Duration.ofSeconds(1),
          Duration.ofMillis(100), Duration.ofMillis(200));
      KafkaCscMonitor monitor = new KafkaCscMonitor(sites,
          new HttpSchemaRegistry(sites, new SchemaRegistryProperties(Duration.ofSeconds(2), Duration.ofSeconds(5))),
          props, KafkaProperties.plaintext());
      Map<String, Object> pc = Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "1",
          "key.serializer", StringSerializer.class, "value.serializer", ByteArraySerializer.class,
          "max.block.ms", 20000);
      monitor.start();
      try (var producer = new KafkaProducer<String, byte[]>(pc)) {
        await().atMost(WAIT).until(() -> monitor.historyRead("tts"));
        producer.send(new ProducerRecord<>(stateTopic, "k",
            SalAvro.encode(stateId, stateSchema, dome, Map.of("summaryState", SummaryState.STANDBY.code())))).get();
        producer.send(new ProducerRecord<>(beatTopic, "k",
            SalAvro.encode(beatId, beatSchema, dome, Map.of("heartbeat", true)))).get();
        await().atMost(WAIT).until(() -> state(monitor, dome) == SummaryState.STANDBY);

        broker.stop();
        broker.start();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
          producer.send(new ProducerRecord<>(stateTopic, "k", SalAvro.encode(stateId, stateSchema, dome,
              Map.of("summaryState", SummaryState.DISABLED.code())))).get();
          producer.send(new ProducerRecord<>(beatTopic, "k",
              SalAvro.encode(beatId, beatSchema, dome, Map.of("heartbeat", true)))).get();
          return state(monitor, dome) == SummaryState.DISABLED;
        });
        assertThat(monitor.statusOf("tts", List.of(dome)).get(0).reportedState()).isEqualTo(SummaryState.DISABLED);
      } finally {
        monitor.stop();
      }
    }
  }

  private static SummaryState state(KafkaCscMonitor monitor, CscId id) {
    return monitor.statusOf("tts", List.of(id)).get(0).effectiveState();
  }
}
