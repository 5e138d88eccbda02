package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TwinKafkaBrokerTests {

  @Test
  void keepsItsDataAcrossARestartOnTheSamePort() throws Exception {
    try (TwinKafkaBroker broker = new TwinKafkaBroker()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
      }
      Map<String, Object> pc = Map.of("bootstrap.servers", bootstrap, "key.serializer", StringSerializer.class,
          "value.serializer", StringSerializer.class);
      try (var producer = new KafkaProducer<String, String>(pc)) {
        producer.send(new ProducerRecord<>("t", "k", "before")).get();
      }
      long t0 = System.nanoTime();
      broker.stop();
      long t1 = System.nanoTime();
      broker.start();
      System.out.printf("TwinKafkaBrokerTests: stopped in %.1f s, started again in %.1f s%n",
          (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
      assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
      try (var producer = new KafkaProducer<String, String>(pc)) {
        producer.send(new ProducerRecord<>("t", "k", "after")).get();
      }
      try (var consumer = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", bootstrap,
          "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class))) {
        TopicPartition tp = new TopicPartition("t", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (seen.size() < 2 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            seen.add(r.value());
          }
        }
        assertThat(seen).containsExactly("before", "after");
      }
    }
  }
}
