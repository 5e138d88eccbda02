package org.lsst.ts.upgrade.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinSlack;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.notices.NoticeRetryJobs;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Notices that Slack did not take are kept in the database and retried by an engine job; after the
 * outage they are posted late, folded under "while Slack was unreachable" with their times, or
 * dropped when their run has ended (its summary lists them). Against the twin's Slack and its
 * {@code outage} fault.
 */
@RehearsalTest
class DurableNoticesTests {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  @Autowired Notifier notifier;
  @Autowired TwinSlack slack;
  @Autowired FaultRegistry faults;
  @Autowired DataSource dataSource;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;

  private final List<Long> injected = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    injected.forEach(faults::remove);
  }

  private long outage() {
    long id = faults.inject("tts", "slack", "*", "outage", Map.of(), 0).id();
    injected.add(id);
    return id;
  }

  private String state(String noticeId) {
    return new JdbcTemplate(dataSource).queryForObject("SELECT STATE FROM SLACK_NOTICE WHERE ID = ?", String.class,
        noticeId);
  }

  private int attempts(String noticeId) {
    return new JdbcTemplate(dataSource).queryForObject("SELECT ATTEMPTS FROM SLACK_NOTICE WHERE ID = ?",
        Integer.class, noticeId);
  }

  private List<TwinSlack.Message> containing(String text) {
    return slack.messages("tts").stream().filter(m -> m.text().contains(text)).toList();
  }

  @Test
  void aNoticeThatFailsInAnOutageIsKeptInTheDatabaseAndPostedFoldedWithItsTimeAfterIt() {
    long fault = outage();
    String first = "first notice " + UUID.randomUUID();
    String second = "second notice " + UUID.randomUUID();
    Notifier.Delivery d1 = notifier.post("tts", null, first, null, "TASK", false);
    Notifier.Delivery d2 = notifier.post("tts", null, second, null, "TASK", false);
    assertThat(d1.delivered()).isFalse();
    assertThat(d1.error()).contains("HTTP 500");

    // kept in the database, with an engine job to retry it (no process instance: any node runs it)
    assertThat(state(d1.id())).isEqualTo("PENDING");
    assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM ACT_RU_JOB WHERE HANDLER_TYPE_ = ?"
        + " AND HANDLER_CFG_ = ? AND PROCESS_INSTANCE_ID_ IS NULL", Long.class, NoticeRetryJobs.TYPE, "tts")).isPositive();
    // the engine retries while the outage lasts
    await().atMost(DEADLINE).until(() -> attempts(d1.id()) >= 3);
    assertThat(containing(first)).isEmpty();

    faults.remove(fault);
    await().atMost(DEADLINE).until(() -> !containing(first).isEmpty());
    // one message for both, late and saying so, each under its own time
    assertThat(containing(first)).singleElement().satisfies(m -> assertThat(m.text())
        .startsWith(":hourglass: *While Slack was unreachable*")
        .contains(second, WHEN.format(d1.at()), WHEN.format(d2.at())));
    // recorded once posted
    await().atMost(DEADLINE).until(() -> "DELIVERED".equals(state(d1.id())) && "DELIVERED".equals(state(d2.id())));
    assertThat(notifier.undelivered("tts", null)).noneMatch(u -> u.id().equals(d1.id()) || u.id().equals(d2.id()));
  }

  @Test
  void aRunThatEndedDuringTheOutageHasItsStaleNoticesDroppedAndItsLastWordToldLate() {
    String run = "durable-" + UUID.randomUUID();
    String pi = runtime.startProcessInstanceByKey("OperatorTaskTest", run).getId();
    long fault = outage();
    Notifier.Delivery start = notifier.post("tts", null, ":construction: starts now " + run, run, "START", false);
    Notifier.Delivery summary = notifier.post("tts", null, ":checkered_flag: finished " + run, run, "SUMMARY", true);
    assertThat(start.delivered()).isFalse();
    assertThat(summary.delivered()).isFalse();
    // the run completes while Slack is down
    tasks.complete(tasks.createTaskQuery().processInstanceId(pi).singleResult().getId());
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).count()).isZero();

    faults.remove(fault);
    await().atMost(DEADLINE).until(() -> !containing("finished " + run).isEmpty());
    assertThat(containing("finished " + run)).singleElement()
        .satisfies(m -> assertThat(m.text()).contains("While Slack was unreachable", WHEN.format(summary.at())));
    // "starts now" is not posted once the run is over: the summary's list covers it
    assertThat(containing("starts now " + run)).isEmpty();
    assertThat(state(start.id())).isEqualTo("DROPPED");
    await().atMost(DEADLINE).until(() -> "DELIVERED".equals(state(summary.id())));
    assertThat(notifier.undelivered("tts", run)).singleElement().satisfies(u -> {
      assertThat(u.label()).isEqualTo("START");
      assertThat(u.listing()).startsWith("START " + Notifier.LISTED_TIME.format(start.at()))
          .contains("not posted: the run had ended");
    });
    assertThat(notifier.keptNotices(run)).extracting(Notifier.Undelivered::label, Notifier.Undelivered::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("START", "DROPPED"),
            org.assertj.core.groups.Tuple.tuple("SUMMARY", "DELIVERED"));
  }

  @Test
  void aNoticeDeliveredLateLeavesTheRunsUndeliveredNotices() {
    String run = "durable-" + UUID.randomUUID();
    String pi = runtime.startProcessInstanceByKey("OperatorTaskTest", run).getId();
    long fault = outage();
    Notifier.Delivery d = notifier.post("tts", null, ":camera: stage 1 " + run, run, "CAMERA_STAGE1", false);
    assertThat(d.delivered()).isFalse();
    // as PostNotice lists it (once, with its time)
    String entry = Notifier.listed("CAMERA_STAGE1", d);
    runtime.setVariable(pi, RunVariables.UNDELIVERED_NOTICES, new ArrayList<>(List.of("COMPATIBILITY_WARNING", entry)));
    assertThat(entry).startsWith("CAMERA_STAGE1 " + Notifier.LISTED_TIME.format(d.at()) + " (Slack answered HTTP 500");

    faults.remove(fault);
    await().atMost(DEADLINE).until(() -> !containing("stage 1 " + run).isEmpty());
    await().atMost(DEADLINE).untilAsserted(() -> assertThat(runtime.getVariable(pi, RunVariables.UNDELIVERED_NOTICES))
        .asList().containsExactly("COMPATIBILITY_WARNING"));
    assertThat(notifier.undelivered("tts", run)).isEmpty();
    runtime.deleteProcessInstance(pi, "test done");
  }
}
