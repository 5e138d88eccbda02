package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The twin's control API over HTTP; a site name of its own keeps it apart from other tests. */
@RehearsalTest
class RehearsalControlApiTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired ActionLog actions;
  @Autowired FaultRegistry faults;
  @Autowired LatencyModel latency;
  @Autowired TwinReset reset;
  @Autowired TwinCscs cscs;
  @Autowired CscStates states;
  @Autowired TwinKubernetes kubernetes;
  @Autowired TwinServices services;
  @Autowired TwinLoveQueues queues;
  @Autowired TwinKafka kafka;

  final String site = "t" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void actionsAreListedInOrderAndFiltered() throws Exception {
    actions.record(site, "love", site + "/ATDome", "command", Map.of("command", "start"));
    ActionLog.Running sync = actions.begin(site, "argocd", "auxtel", "sync", Map.of());
    var http = BasicAuthHttp.as(port, "admin");

    JsonNode running = JSON.readTree(http.get("/rehearsal/actions?site=" + site).body());
    assertThat(running).hasSize(2);
    assertThat(running.get(0).path("action").asText()).isEqualTo("command");
    assertThat(running.get(0).path("params").path("command").asText()).isEqualTo("start");
    assertThat(running.get(1).path("end").isNull()).isTrue();
    sync.end();

    JsonNode argo = JSON.readTree(http.get("/rehearsal/actions?site=" + site + "&system=argocd").body());
    assertThat(argo).hasSize(1);
    assertThat(argo.get(0).path("target").asText()).isEqualTo("auxtel");
    assertThat(argo.get(0).path("end").isTextual()).isTrue();
  }

  @Test
  void faultsAreInjectedConsultedAndRemoved() throws Exception {
    var http = BasicAuthHttp.as(port, "admin");
    var created = http.post("/rehearsal/faults",
        "{\"site\":\"" + site + "\",\"system\":\"ssh\",\"target\":\"azar03\",\"kind\":\"down\",\"times\":1}");
    assertThat(created.statusCode()).isEqualTo(201);
    long id = JSON.readTree(created.body()).path("id").asLong();
    assertThat(http.get("/rehearsal/faults").body()).contains("\"id\":" + id);

    assertThat(faults.consult(site, "ssh", "other-host")).isEmpty();
    assertThat(faults.consult(site, "ssh", "azar03")).hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo("down"));
    // used up
    assertThat(faults.consult(site, "ssh", "azar03")).isEmpty();

    var forever = JSON.readTree(http.post("/rehearsal/faults",
        "{\"site\":\"" + site + "\",\"system\":\"love\",\"kind\":\"http-500\"}").body());
    assertThat(faults.consult(site, "love", "anything")).isPresent();
    assertThat(faults.consult(site, "love", "anything")).isPresent();
    assertThat(http.send("DELETE", "/rehearsal/faults/" + forever.path("id").asLong()).statusCode()).isEqualTo(200);
    assertThat(faults.consult(site, "love", "anything")).isEmpty();
    assertThat(http.send("DELETE", "/rehearsal/faults/" + forever.path("id").asLong()).statusCode()).isEqualTo(404);
  }

  @Test
  void badFaultRequestsAreRejectedWithTheReason() throws Exception {
    var http = BasicAuthHttp.as(port, "admin");
    var noKind = http.post("/rehearsal/faults", "{\"system\":\"ssh\"}");
    assertThat(noKind.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noKind.body()).path("message").asText()).contains("'system' and 'kind'");
    assertThat(http.post("/rehearsal/faults", "{\"system\":\"ssh\",\"kind\":\"down\",\"times\":-1}").statusCode())
        .isEqualTo(400);
    var notJson = http.post("/rehearsal/faults", "{system");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notJson.body()).path("message").asText()).contains("not valid JSON");
  }

  @Test
  void aResetPutsATwinSiteBackInOperation() throws Exception {
    String tts = "tts";
    CscId dome = CscId.of("ATDome");
    TwinSites twin = new TwinSites(reset, cscs, states);
    twin.inOperation(tts);
    // a site left as a failed rehearsal leaves it: LOVE's namespace emptied, a CSC gone, a queue
    // paused, a fault armed, the compatibility relaxed
    kubernetes.client(tts).apps().deployments().inNamespace("love").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> !services.isUp(tts, TwinServices.LOVE));
    cscs.transitionTo(tts, dome, SummaryState.OFFLINE);
    assertThat(queues.pause(tts, 2).kind()).isEqualTo(TwinLoveQueues.Ack.Kind.OK);
    faults.inject(tts, "love", "*", "http-500", Map.of(), 0);
    kafka.registry().setCompatibility(tts, "NONE");

    var http = BasicAuthHttp.as(port, "operator");
    var r = http.post("/rehearsal/sites/" + tts + "/reset", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    assertThat(services.isUp(tts, TwinServices.LOVE)).isTrue();
    assertThat(kubernetes.missing(tts, "love")).isEmpty();
    assertThat(cscs.get(tts, dome).beating()).isTrue();
    assertThat(cscs.get(tts, dome).state()).isEqualTo(SummaryState.ENABLED);
    assertThat(queues.running(tts, 2)).isTrue();
    assertThat(faults.list()).noneMatch(f -> tts.equals(f.site()));
    assertThat(kafka.registry().compatibility(tts)).isEqualTo("FORWARD");
    assertThat(actions.actions(tts)).last().satisfies(a -> assertThat(a.action()).isEqualTo("reset"));
    twin.inOperation(tts);

    var unknown = http.post("/rehearsal/sites/nowhere/reset", "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("message").asText()).contains("nowhere");
  }

  @Test
  void latenciesAreScaled() {
    // src/test/resources/config/application.yaml: time-scale 0.002; argocd.sync is 30 s at a real site
    assertThat(latency.timeScale()).isEqualTo(0.002);
    assertThat(latency.of("argocd.sync")).isEqualTo(Duration.ofMillis(60));
  }
}
