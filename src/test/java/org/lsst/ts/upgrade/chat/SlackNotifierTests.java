package org.lsst.ts.upgrade.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinSlack;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/** The Slack notifier (slack-api-client) against the twin's Slack Web API endpoint. */
@RehearsalTest
class SlackNotifierTests {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Autowired Notifier notifier;
  @Autowired TwinSlack slack;
  @Autowired FaultRegistry faults;
  @Autowired TestRestTemplate rest;
  @Autowired javax.sql.DataSource dataSource;

  private final List<Long> injected = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    injected.forEach(faults::remove);
  }

  @Test
  void thePreflightsTokenCheckIsAuthTestAndPostsNothing() {
    int before = slack.messages("tts").size();
    assertThat(notifier.accessProblem("tts")).isEmpty();
    assertThat(notifier.accessProblem("nowhere")).hasValueSatisfying(p -> assertThat(p).contains("unknown site"));
    assertThat(slack.messages("tts")).hasSize(before);
  }

  @Test
  void postsToTheSiteChannelAndTheTwinRecordsIt() {
    String text = "Deployment of cycle 40 starting " + UUID.randomUUID();
    Notifier.Delivery d = notifier.post("summit", null, text);
    assertThat(d.delivered()).as(d.error()).isTrue();
    assertThat(d.channel()).isEqualTo("#summit-announce");

    ResponseEntity<JsonNode> r = rest.withBasicAuth("operator", "operator")
        .getForEntity("/rehearsal/slack/messages?site=summit", JsonNode.class);
    assertThat(r.getStatusCode().is2xxSuccessful()).isTrue();
    List<String> texts = new ArrayList<>();
    r.getBody().forEach(m -> texts.add(m.get("text").asText()));
    assertThat(texts).contains(text);
    assertThat(slack.messages("tts")).noneMatch(m -> text.equals(m.text()));
  }

  @Test
  void aRunsNoticePostedAgainByAStepThatRanAgainReachesTheChannelOnce() {
    String run = "run-" + UUID.randomUUID();
    String text = "the camera team may start Stage 1 " + run;
    // the step posted, lost an optimistic-locking race, and ran again: same run, notice and text
    assertThat(notifier.post("tts", null, text, run, "CAMERA_STAGE1", false, true).delivered()).isTrue();
    assertThat(notifier.post("tts", null, text, run, "CAMERA_STAGE1", false, true).delivered()).isTrue();
    // another run's notice of the same kind is news
    String other = "the camera team may start Stage 1 another-" + run;
    assertThat(notifier.post("tts", null, other, "another-" + run, "CAMERA_STAGE1", false, true).delivered()).isTrue();

    List<String> texts = new ArrayList<>();
    rest.withBasicAuth("operator", "operator").getForEntity("/rehearsal/slack/messages?site=tts", JsonNode.class)
        .getBody().forEach(m -> texts.add(m.get("text").asText()));
    assertThat(texts.stream().filter(text::equals)).hasSize(1);
    assertThat(texts.stream().filter(other::equals)).hasSize(1);
  }

  @Test
  void anOutageDoesNotFailTheCallerAndTheNoticeIsDeliveredLater() {
    injected.add(faults.inject("summit", "slack", "#summit-announce", "outage", Map.of(), 2).id());
    String run = "run-" + UUID.randomUUID();
    String text = "CSCs are being sent to OFFLINE " + run;
    // the run's last word: delivered late although no such run is active (another notice of it would be dropped)
    Notifier.Delivery d = notifier.post("summit", null, text, run, "SUMMARY", true);
    assertThat(d.delivered()).isFalse();
    assertThat(d.error()).contains("HTTP 500");
    assertThat(notifier.undelivered("summit", run)).singleElement()
        .satisfies(u -> assertThat(u.text()).isEqualTo(text));
    assertThat(notifier.undelivered("summit", "another-run")).isEmpty();

    await().atMost(DEADLINE).until(() -> notifier.undelivered("summit", run).isEmpty());
    // late: folded under "while Slack was unreachable", not posted as if current
    assertThat(slack.messages("summit")).anyMatch(m -> m.text().contains("While Slack was unreachable")
        && m.text().contains(text));
    assertThat(slack.messages("summit")).noneMatch(m -> text.equals(m.text()));
  }

  @Test
  void okFalseAndBadChannelsAreReportedNotThrown() {
    injected.add(faults.inject("tts", "slack", "*", "not-ok", Map.of("error", "not_in_channel"), 1).id());
    Notifier.Delivery d = notifier.post("tts", null, "hello", "run-x");
    assertThat(d.delivered()).isFalse();
    assertThat(d.error()).contains("not_in_channel");

    Notifier.Delivery bad = notifier.post("tts", "general; rm", "hello");
    assertThat(bad.delivered()).isFalse();
    assertThat(bad.error()).contains("not a Slack channel");
    assertThat(notifier.post("nowhere", null, "hello").error()).contains("unknown site 'nowhere'");
    // run-x is no active run: its notice is dropped, not posted late, and stays listed as not delivered
    await().atMost(DEADLINE).until(() -> notifier.undelivered("tts", "run-x").stream()
        .noneMatch(u -> "PENDING".equals(u.state())));
  }

  private TwinSlack.Message withText(String site, String text) {
    return slack.messages(site).stream().filter(m -> text.equals(m.text())).findFirst().orElseThrow(() ->
        new AssertionError("no message '" + text + "' in the twin's Slack of " + site));
  }

  @Test
  void aRunsNoticesFormOneThreadWhoseParentIsItsFirstMessageAndBroadcastRepliesShowInTheChannel() {
    String run = "run-" + UUID.randomUUID();
    String start = "starts now " + run;
    String step = "a step's notice " + run;
    String stage = "the camera team may start " + run;
    String other = "no run's notice " + run;
    assertThat(notifier.post("tts", null, start, run, "START", false, true).delivered()).isTrue();
    assertThat(notifier.post("tts", null, step, run, "SYNC_SKIPPED", false, false).delivered()).isTrue();
    assertThat(notifier.post("tts", null, stage, run, "CAMERA_STAGE1", false, true).delivered()).isTrue();
    assertThat(notifier.post("tts", null, other).delivered()).isTrue();
    var task = notifier.postBlocks("tts", null, "waits for " + run, "[{\"type\":\"section\",\"text\":{\"type\":"
        + "\"mrkdwn\",\"text\":\"waits for " + run + "\"}}]", run);
    assertThat(task).isPresent();

    TwinSlack.Message parent = withText("tts", start);
    assertThat(parent.threadTs()).isNull();
    assertThat(withText("tts", step)).satisfies(m -> {
      assertThat(m.threadTs()).isEqualTo(parent.ts());
      assertThat(m.broadcast()).isFalse();
    });
    assertThat(withText("tts", stage)).satisfies(m -> {
      assertThat(m.threadTs()).isEqualTo(parent.ts());
      assertThat(m.broadcast()).isTrue();
      assertThat(m.inChannel()).isTrue();
    });
    assertThat(withText("tts", "waits for " + run)).satisfies(m -> {
      assertThat(m.threadTs()).isEqualTo(parent.ts());
      assertThat(m.ts()).isEqualTo(task.get().ts());
    });
    // a notice of no run is a message of its own
    assertThat(withText("tts", other).threadTs()).isNull();
    // the thread is in the database, for a restart and the other nodes
    assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource).queryForObject(
        "SELECT TS FROM SLACK_RUN_THREAD WHERE RUN_ID = ? AND CHANNEL = ?", String.class, run, "#tucson-teststand"))
        .isEqualTo(parent.ts());
    // a task's message updated in the thread keeps its place
    assertThat(notifier.update("tts", task.get(), "done " + run, "[]")).isTrue();
    assertThat(slack.message("tts", task.get().ts())).hasValueSatisfying(m -> assertThat(m.threadTs()).isEqualTo(parent.ts()));
  }

  @Test
  void whenTheFirstMessageOfARunIsNotPostedTheNextOneDeliveredBecomesTheThread() {
    String run = "run-" + UUID.randomUUID();
    injected.add(faults.inject("tts", "slack", "*", "outage", Map.of(), 1).id());
    assertThat(notifier.post("tts", null, "lost start " + run, run, "START", false, true).delivered()).isFalse();
    assertThat(notifier.post("tts", null, "second " + run, run, "UNHEALTHY_CSCS", false, false).delivered()).isTrue();
    assertThat(notifier.post("tts", null, "third " + run, run, "SUMMARY", true, true).delivered()).isTrue();
    TwinSlack.Message parent = withText("tts", "second " + run);
    assertThat(parent.threadTs()).isNull();
    assertThat(withText("tts", "third " + run).threadTs()).isEqualTo(parent.ts());
  }

  @Test
  void aReplySlackRefusesIsPostedOnItsOwnNotLost() {
    String run = "run-" + UUID.randomUUID();
    // a thread whose parent Slack does not know (deleted): the twin answers thread_not_found
    new org.springframework.jdbc.core.JdbcTemplate(dataSource).update("INSERT INTO SLACK_RUN_THREAD (RUN_ID, CHANNEL,"
        + " SITE, TS, CREATED_AT) VALUES (?, ?, ?, ?, ?)", run, "#tucson-teststand", "tts", "1.000000", System.currentTimeMillis());
    String text = "still told " + run;
    assertThat(notifier.post("tts", null, text, run, "UNHEALTHY_CSCS", false, false).delivered()).isTrue();
    assertThat(withText("tts", text).threadTs()).isNull();
  }
}
