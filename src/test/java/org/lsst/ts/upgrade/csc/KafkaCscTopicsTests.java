package org.lsst.ts.upgrade.csc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.TwinKafka;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;

/** {@link KafkaCscTopics} against the twin's real broker: what the incremental upgrade's topic check reads. */
@RehearsalTest
class KafkaCscTopicsTests {
  @Autowired CscTopics topics;
  @Autowired TwinKafka kafka;
  @Autowired Sites sites;

  @Test
  void listsTheComponentsTopicsOnly() {
    String prefix = "lsst." + sites.require("bts").endpoints().kafkaTopicSubname() + ".ATDome.";
    var atDome = topics.topicsOf("bts", "ATDome");
    assertThat(atDome).contains(prefix + "logevent_summaryState", prefix + "logevent_heartbeat")
        .allMatch(t -> t.startsWith(prefix));
    // ATDomeTrajectory shares the name's beginning, not the component
    assertThat(topics.topicsOf("bts", "ATDomeTrajectory")).isNotEmpty().noneMatch(t -> t.startsWith(prefix));
    assertThat(topics.topicsOf("bts", "NoSuchComponent")).isEmpty();
  }

  @Test
  void seesATopicCreatedOnTheBroker() throws Exception {
    // what a CSC starting with a new interface does; unique per JVM, and no state topic the monitor reads
    String topic = "lsst." + sites.require("bts").endpoints().kafkaTopicSubname() + ".ATDome.logevent_topicsTest"
        + System.nanoTime();
    assertThat(topics.topicsOf("bts", "ATDome")).doesNotContain(topic);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(topics.topicsOf("bts", "ATDome")).contains(topic));
  }
}
