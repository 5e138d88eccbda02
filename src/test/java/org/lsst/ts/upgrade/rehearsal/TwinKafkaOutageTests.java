package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The {@code kafka}/{@code down} fault through the control API: the twin's one broker goes away
 * (for every site), the application's CSC monitor goes blind (every CSC UNKNOWN, not OFFLINE), and
 * removing the fault brings the broker and the states back.
 */
@RehearsalTest
class TwinKafkaOutageTests {
  static final Duration WAIT = Duration.ofSeconds(120);

  @LocalServerPort int port;
  @Autowired TwinKafka kafka;
  @Autowired TwinKafkaOutage outage;
  @Autowired CscStates states;

  @Test
  void theKafkaDownFaultStopsTheBrokerAndItsRemovalBringsItBack() throws Exception {
    var http = BasicAuthHttp.as(port, "admin");
    await().atMost(WAIT).until(() -> states.historyRead("tts") && states.blindness("tts").isEmpty());
    var created = http.post("/rehearsal/faults", "{\"site\":\"tts\",\"system\":\"kafka\",\"kind\":\"down\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    long id = new ObjectMapper().readTree(created.body()).path("id").asLong();
    try {
      await().atMost(WAIT).until(() -> outage.down() && !kafka.broker().running());
      await().atMost(WAIT).until(() -> states.blindness("tts").isPresent() && states.blindness("summit").isPresent());
      assertThat(states.snapshot("tts")).extracting(CscStatus::effectiveState).containsOnly(SummaryState.UNKNOWN);
      assertThat(states.blindness("tts").orElseThrow()).contains(kafka.bootstrapServers() + " unreachable");
    } finally {
      assertThat(http.send("DELETE", "/rehearsal/faults/" + id).statusCode()).isEqualTo(200);
    }
    await().atMost(WAIT).until(() -> !outage.down() && kafka.broker().running());
    await().atMost(WAIT).until(() -> states.blindness("tts").isEmpty()
        && states.snapshot("tts").stream().noneMatch(s -> s.effectiveState() == SummaryState.UNKNOWN));
  }
}
