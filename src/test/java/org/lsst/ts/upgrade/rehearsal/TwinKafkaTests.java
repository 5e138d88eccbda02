package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.SalAvro;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;

@RehearsalTest
class TwinKafkaTests {
  @Autowired TwinKafka kafka;
  @Autowired Sites sites;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @Test
  void sitesPointAtTheTwinWithTheirOwnSubname() {
    for (String site : List.of("summit", "tts", "bts")) {
      var e = sites.require(site).endpoints();
      assertThat(e.kafkaBootstrap()).isEqualTo(kafka.bootstrapServers());
      assertThat(e.kafkaTopicSubname()).isEqualTo(site);
      assertThat(e.schemaRegistry()).isEqualTo(kafka.registry().url(site));
    }
  }

  @Test
  void publishedEventsAreConfluentFramedAvroWithARegisteredWriterSchema() throws Exception {
    CscId queue = CscId.of("ScriptQueue", 2);
    String topic = "lsst.tts.ScriptQueue.logevent_script";
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "key.deserializer", StringDeserializer.class, "value.deserializer", ByteArrayDeserializer.class))) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToEnd(List.of(tp));
      consumer.position(tp);
      kafka.publish("tts", queue, "script", Map.of("scriptSalIndex", 100017, "path", "set_summary_state.py",
          "isStandard", true, "processState", 4, "scriptState", 8, "timestampProcessStart", 1.0,
          "timestampConfigureStart", 2.0, "timestampConfigureEnd", 3.0, "timestampRunStart", 4.0,
          "timestampProcessEnd", 5.0));
      List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        consumer.poll(Duration.ofMillis(100)).forEach(got::add);
        return !got.isEmpty();
      });
      byte[] value = got.get(0).value();
      int id = SalAvro.schemaId(value);
      String url = sites.require("tts").endpoints().schemaRegistry();
      var schema = http.send(HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(schema.statusCode()).isEqualTo(200);
      String text = json.readTree(schema.body()).get("schema").asText();
      Map<String, Object> f = new SalAvro.Reader(text).decode(value);
      assertThat(f).containsEntry("salIndex", 2).containsEntry("scriptSalIndex", 100017)
          .containsEntry("path", "set_summary_state.py").containsEntry("scriptState", 8);
      var subjects = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(subjects.body()).contains(topic + "-value");
    }
  }

  @Test
  void registryConfigIsPerSite() throws Exception {
    String bts = sites.require("bts").endpoints().schemaRegistry();
    var put = http.send(HttpRequest.newBuilder(URI.create(bts + "/config"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"NONE\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body()).contains("\"compatibility\":\"NONE\"");
    var bad = http.send(HttpRequest.newBuilder(URI.create(bts + "/config"))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"SOMETIMES\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(kafka.registry().compatibility("bts")).isEqualTo("NONE");
    assertThat(kafka.registry().compatibility("summit")).isEqualTo("FORWARD");
    kafka.registry().setCompatibility("bts", "FORWARD");
  }
}
