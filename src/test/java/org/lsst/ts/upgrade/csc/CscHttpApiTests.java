package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.site.Site.Behaviour;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;

/** {@code GET /api/sites/{site}/cscs} and the twin's {@code /rehearsal/cscs} control API, over HTTP. */
@RehearsalTest
class CscHttpApiTests {
  static final Duration WAIT = Duration.ofSeconds(30);
  @Autowired TestRestTemplate rest;
  @Autowired TwinCscs cscs;
  @Autowired CscStates states;

  TestRestTemplate admin() {
    return rest.withBasicAuth("admin", "admin");
  }

  @Test
  void listsTheLiveStateOfEveryCscOfASite() {
    await().atMost(WAIT).until(() -> states.historyRead("tts"));
    await().atMost(WAIT).untilAsserted(() -> {
      var r = admin().getForEntity("/api/sites/tts/cscs", JsonNode.class);
      assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
      JsonNode q = null;
      for (JsonNode n : r.getBody()) {
        if (n.get("id").asText().equals("ScriptQueue:2")) {
          q = n;
        }
      }
      assertThat(q).isNotNull();
      assertThat(q.get("component").asText()).isEqualTo("ScriptQueue");
      assertThat(q.get("index").asInt()).isEqualTo(2);
      // the twin is shared with rehearsed runs: compare with the simulator, whatever its state
      var twin = cscs.get("tts", CscId.of("ScriptQueue", 2));
      assertThat(twin.beating()).isTrue();
      assertThat(q.get("reportedState").asText()).isEqualTo(twin.state().name());
      assertThat(q.get("effectiveState").asText()).isEqualTo(twin.state().name());
      assertThat(q.get("heartbeatAgeMs").asLong()).isBetween(0L, 5000L);
      assertThat(q.get("lastUpdate").asText()).isNotBlank();
    });
    assertThat(admin().getForEntity("/api/sites/nowhere/cscs", String.class).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void theControlApiStopsAndStartsASimulatedCsc() {
    CscId test = CscId.parse("Test:42");
    if (!cscs.get("bts", test).beating()) {
      cscs.launch("bts", test);
      await().atMost(WAIT).until(() -> cscs.get("bts", test).beating());
    }
    SummaryState was = cscs.get("bts", test).state();
    var list = admin().getForEntity("/rehearsal/cscs?site=bts", JsonNode.class);
    assertThat(list.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(list.getBody().size()).isEqualTo(cscs.all("bts").size());

    var stop = admin().postForEntity("/rehearsal/cscs/bts/Test:42", Map.of("running", false), JsonNode.class);
    assertThat(stop.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(stop.getBody().get("running").asBoolean()).isFalse();
    try {
      await().atMost(WAIT).until(() -> states.statusOf("bts", java.util.List.of(CscId.parse("Test:42"))).get(0)
          .effectiveState() == SummaryState.OFFLINE);
    } finally {
      var start = admin().postForEntity("/rehearsal/cscs/bts/Test:42", Map.of("running", true), JsonNode.class);
      assertThat(start.getStatusCode()).isEqualTo(HttpStatus.OK);
    }
    await().atMost(WAIT).until(() -> states.statusOf("bts", java.util.List.of(CscId.parse("Test:42"))).get(0)
        .effectiveState() == SummaryState.STANDBY);
    cscs.transitionTo("bts", test, was == SummaryState.FAULT ? SummaryState.STANDBY : was);
  }

  @Test
  void theControlApiSetsBehavioursAndRejectsBadRequests() {
    var set = admin().postForEntity("/rehearsal/cscs/tts/ATPtg", Map.of("behaviour", "vanishes"), JsonNode.class);
    assertThat(set.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(cscs.get("tts", CscId.of("ATPtg")).behaviour()).isEqualTo(Behaviour.VANISHES);
    cscs.setBehaviour("tts", CscId.of("ATPtg"), Behaviour.NORMAL);

    var bad = admin().postForEntity("/rehearsal/cscs/tts/ATPtg", Map.of("behaviour", "SULKS"), String.class);
    assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(bad.getBody()).contains("SULKS").contains("IGNORES_OFFLINE");
    var empty = admin().postForEntity("/rehearsal/cscs/tts/ATPtg", Map.of(), String.class);
    assertThat(empty.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    var unknown = admin().postForEntity("/rehearsal/cscs/tts/NoSuchCsc", Map.of("running", true), String.class);
    assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    var badId = admin().postForEntity("/rehearsal/cscs/tts/not-an-id", Map.of("running", true), String.class);
    assertThat(badId.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
  }
}
