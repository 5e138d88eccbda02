package org.lsst.ts.upgrade.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.UpgradeOrchestratorApplication;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinSlack;
import org.lsst.ts.upgrade.runbook.notices.NoticeRetryJobs;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A notice kept during a Slack outage survives a restart of the orchestrator: a production-profile
 * orchestrator on an H2 file (as {@code H2FileRestartTests} starts one) posts to the twin's Slack
 * while it is down, is stopped, and the next start on the same file delivers the notice once
 * Slack is back — the retry is the engine's job in the database, not a thread of the process.
 */
@RehearsalTest
class DurableNoticesRestartTests {
  private static final String ENGINE = "durableNoticesRestartTests";

  @Autowired TwinSlack slack;
  @Autowired FaultRegistry faults;
  @Autowired Sites sites;

  private ConfigurableApplicationContext start(String url) {
    return new SpringApplicationBuilder(UpgradeOrchestratorApplication.class).profiles("production-test")
        .run("--spring.datasource.url=" + url, "--UPGRADE_ADMIN_PASSWORD=admin-" + UUID.randomUUID(),
            "--server.port=0", "--camunda.bpm.process-engine-name=" + ENGINE, "--camunda.bpm.webapp.enabled=false",
            // the twin's Slack, with its demo token under the name the site file gives
            "--upgrade.slack.api-url=" + slack.apiUrl(),
            "--SLACK_BOT_TOKEN=" + slack.token(sites.require("tts")).orElseThrow());
  }

  @Test
  void aNoticeKeptDuringAnOutageIsDeliveredByTheNextStart(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.toAbsolutePath() + "/upgrade-orchestrator;DB_CLOSE_ON_EXIT=FALSE";
    String text = ":bust_in_silhouette: before the restart " + UUID.randomUUID();
    long fault = faults.inject("tts", "slack", "*", "outage", Map.of(), 0).id();
    Notifier.Delivery d;
    try {
      try (ConfigurableApplicationContext first = start(url)) {
        d = first.getBean(Notifier.class).post("tts", null, text, null, "TASK", false);
        assertThat(d.delivered()).isFalse();
        JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
        assertThat(jdbc.queryForObject("SELECT STATE FROM SLACK_NOTICE WHERE ID = ?", String.class, d.id()))
            .isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ACT_RU_JOB WHERE HANDLER_TYPE_ = ?", Long.class,
            NoticeRetryJobs.TYPE)).isPositive();
      }
    } finally {
      faults.remove(fault);
    }
    assertThat(slack.messages("tts")).noneMatch(m -> m.text().contains(text));

    try (ConfigurableApplicationContext second = start(url)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> slack.messages("tts").stream().anyMatch(m -> m.text().contains(text)));
      assertThat(slack.messages("tts")).filteredOn(m -> m.text().contains(text)).singleElement()
          .satisfies(m -> assertThat(m.text()).contains("While Slack was unreachable"));
      JdbcTemplate jdbc = new JdbcTemplate(second.getBean(DataSource.class));
      await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(
          jdbc.queryForObject("SELECT STATE FROM SLACK_NOTICE WHERE ID = ?", String.class, d.id())));
    }
  }
}
