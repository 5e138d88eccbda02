package org.lsst.ts.upgrade.runbook.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The slash command over real HTTP, signed as Slack signs it (test secret from the test config). */
@RehearsalTest
class SlashCommandTests {
  private static final String SECRET = "test-signing-secret";

  @Autowired
  TestRestTemplate http;

  @Test
  void refusesABadSignature() {
    var r = post(form("U0OPERATOR", "operator", "help"), now(), "v0=deadbeef");
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(r.getBody()).containsEntry("error", "invalid Slack signature");
  }

  @Test
  void refusesAStaleTimestamp() {
    String body = form("U0OPERATOR", "operator", "help");
    String old = String.valueOf(System.currentTimeMillis() / 1000 - 6 * 60);
    var r = post(body, old, sign(old, body));
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(r.getBody().get("error")).contains("more than 5 minutes");
  }

  /** Issue 13, attack 7: a validly signed request replayed within the window changes nothing. */
  @Test
  void acceptsASignatureOnce() {
    String body = form("U0OPERATOR", "operator", "help");
    String ts = now();
    assertThat(post(body, ts, sign(ts, body)).getStatusCode()).isEqualTo(HttpStatus.OK);
    var replay = post(body, ts, sign(ts, body));
    assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(replay.getBody().get("error")).contains("already received");
  }

  @Test
  void refusesATimestampInTheFuture() {
    String body = form("U0OPERATOR", "operator", "help");
    String ahead = String.valueOf(System.currentTimeMillis() / 1000 + 2 * 60);
    var r = post(body, ahead, sign(ahead, body));
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(r.getBody().get("error")).contains("in the future");
    // a few seconds of clock skew are fine
    String skewed = String.valueOf(System.currentTimeMillis() / 1000 + 5);
    assertThat(post(body, skewed, sign(skewed, body)).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void refusesMissingHeaders() {
    HttpHeaders h = new HttpHeaders();
    h.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
    var r = http.postForEntity("/slack/commands", new HttpEntity<>(form("U0OPERATOR", "operator", "help"), h), Map.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void answersHelp() {
    var r = signedPost(form("U0OPERATOR", "operator", "help"));
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody()).containsEntry("response_type", "ephemeral");
    assertThat(r.getBody().get("text")).contains("/upgrade full-upgrade <site>");
  }

  @Test
  void unmappedSlackUsersMayNotStartRuns() {
    var r = signedPost(form("U0STRANGER", "stranger", "full-upgrade summit cycle=\"Cycle 40\""));
    assertThat(r.getBody().get("text")).contains("not mapped to an orchestrator user");
  }

  @Test
  void badInputIsExplainedAndStartsNothing() {
    var r = signedPost(form("U0OPERATOR", "operator", "full-upgrade nowhere cycle=\"Cycle 40\""));
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody()).containsEntry("response_type", "ephemeral");
    assertThat(r.getBody().get("text")).startsWith("Not started:").contains("nowhere");
  }

  @Test
  void statusOfAnUnknownRunIsExplained() {
    var r = signedPost(form("U0OPERATOR", "operator", "status summit-nothing-20260101-0000"));
    assertThat(r.getBody().get("text")).contains("no run 'summit-nothing-20260101-0000'");
  }

  @Test
  void planShowsTheRunsPlanAndStartsNothing() {
    var r = signedPost(form("U0OPERATOR", "operator", "plan os-k8s-recovery tts"));
    assertThat(r.getBody()).containsEntry("response_type", "ephemeral");
    assertThat(r.getBody().get("text")).contains("Plan of os-k8s-recovery at tts").contains("## Argo CD apps synced")
        .contains("science-platform").contains("Nothing was started");
    var bad = signedPost(form("U0OPERATOR", "operator", "plan full-upgrade nowhere cycle=\"Cycle 40\""));
    assertThat(bad.getBody().get("text")).startsWith("No plan:").contains("nowhere");
  }

  private ResponseEntity<Map<String, String>> signedPost(String body) {
    String ts = now();
    return post(body, ts, sign(ts, body));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private ResponseEntity<Map<String, String>> post(String body, String timestamp, String signature) {
    HttpHeaders h = new HttpHeaders();
    h.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
    h.set(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, timestamp);
    h.set(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signature);
    return (ResponseEntity) http.postForEntity("/slack/commands", new HttpEntity<>(body, h), Map.class);
  }

  private static String now() {
    return String.valueOf(System.currentTimeMillis() / 1000);
  }

  private static String sign(String timestamp, String body) {
    return new SlackSignature.Generator(SECRET).generate(timestamp, body);
  }

  private static String form(String userId, String userName, String text) {
    return "token=ignored&team_id=T0&team_domain=rubin&channel_id=C0&channel_name=summit-announce"
        + "&user_id=" + userId + "&user_name=" + userName + "&command=%2Fupgrade"
        + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=" + java.util.UUID.randomUUID();
  }
}
