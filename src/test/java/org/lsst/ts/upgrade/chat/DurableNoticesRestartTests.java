package org.lsst.ts.upgrade.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.RequiresPostgres;
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
 * orchestrator on an H2 file (as {@code H2FileRestartTests} starts one), or on the local PostgreSQL
 * (a scratch database, as {@code PostgresStartupTests}), posts to the twin's Slack
 * while it is down, is stopped, and the next start on the same file delivers the notice once
 * Slack is back — the retry is the engine's job in the database, not a thread of the process. A
 * run's Slack thread, started before the outage, survives the restart too: the run's late notice is
 * a reply in it.
 */
@RehearsalTest
class DurableNoticesRestartTests {
  private static final String ENGINE = "durableNoticesRestartTests";

  @Autowired TwinSlack slack;
  @Autowired FaultRegistry faults;
  @Autowired Sites sites;

  /** A production orchestrator: the profile and its database arguments. */
  private ConfigurableApplicationContext start(String profile, String... database) {
    List<String> args = new ArrayList<>(List.of(database));
    args.addAll(List.of("--UPGRADE_ADMIN_PASSWORD=admin-" + UUID.randomUUID(),
        "--upgrade.security.admin-password=admin-" + UUID.randomUUID(),
        "--server.port=0", "--camunda.bpm.process-engine-name=" + ENGINE, "--camunda.bpm.webapp.enabled=false",
        // the twin's Slack, with its demo token under the name the site file gives
        "--upgrade.slack.api-url=" + slack.apiUrl(),
        "--SLACK_BOT_TOKEN=" + slack.token(sites.require("tts")).orElseThrow()));
    return new SpringApplicationBuilder(UpgradeOrchestratorApplication.class).profiles(profile)
        .run(args.toArray(String[]::new));
  }

  @Test
  void onTheH2FileANoticeKeptDuringAnOutageIsDeliveredByTheNextStart(@TempDir Path dir) {
    restartDelivers("production-test",
        "--spring.datasource.url=jdbc:h2:file:" + dir.toAbsolutePath() + "/upgrade-orchestrator;DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void onPostgresqlANoticeKeptDuringAnOutageIsDeliveredByTheNextStart() throws Exception {
    assumeTrue("true".equalsIgnoreCase(System.getenv("CI")) || postgresReachable(),
        "PostgreSQL not reachable at " + RequiresPostgres.HOST + ":" + RequiresPostgres.PORT);
    String server = "jdbc:postgresql://" + RequiresPostgres.HOST + ":" + RequiresPostgres.PORT + "/";
    String database = "upgrade_notices_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(server + "test", "postgres", "")) {
      c.createStatement().execute("CREATE DATABASE " + database);
    }
    try {
      restartDelivers("postgres", "--UPGRADE_DB_URL=" + server + database, "--UPGRADE_DB_USER=postgres",
          "--UPGRADE_DB_PASSWORD=");
    } finally {
      try (Connection c = DriverManager.getConnection(server + "test", "postgres", "")) {
        c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  private static boolean postgresReachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(RequiresPostgres.HOST, RequiresPostgres.PORT), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void restartDelivers(String profile, String... database) {
    String text = ":bust_in_silhouette: before the restart " + UUID.randomUUID();
    // a run whose thread was started before the outage: its late last word goes to that thread after the restart
    String run = "run-" + UUID.randomUUID();
    String start = ":construction: starts now " + run;
    String lastWord = ":x: aborted during the outage " + run;
    Long fault = null;
    Notifier.Delivery d;
    try {
      try (ConfigurableApplicationContext first = start(profile, database)) {
        Notifier notifier = first.getBean(Notifier.class);
        assertThat(notifier.post("tts", null, start, run, "START", false, true).delivered()).isTrue();
        fault = faults.inject("tts", "slack", "*", "outage", Map.of(), 0).id();
        d = notifier.post("tts", null, text, null, "TASK", false);
        assertThat(d.delivered()).isFalse();
        assertThat(notifier.post("tts", null, lastWord, run, "ABORTED", true, true).delivered()).isFalse();
        JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
        assertThat(jdbc.queryForObject("SELECT STATE FROM SLACK_NOTICE WHERE ID = ?", String.class, d.id()))
            .isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ACT_RU_JOB WHERE HANDLER_TYPE_ = ?", Long.class,
            NoticeRetryJobs.TYPE)).isPositive();
      }
    } finally {
      if (fault != null) {
        faults.remove(fault);
      }
    }
    assertThat(slack.messages("tts")).noneMatch(m -> m.text().contains(text));
    TwinSlack.Message parent = slack.messages("tts").stream().filter(m -> m.text().equals(start)).findFirst().orElseThrow();
    assertThat(parent.threadTs()).isNull();

    try (ConfigurableApplicationContext second = start(profile, database)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> slack.messages("tts").stream().anyMatch(m -> m.text().contains(text))
          && slack.messages("tts").stream().anyMatch(m -> m.text().contains(lastWord)));
      assertThat(slack.messages("tts")).filteredOn(m -> m.text().contains(text)).singleElement()
          .satisfies(m -> assertThat(m.text()).contains("While Slack was unreachable"))
          // no run's notice: a message of its own
          .satisfies(m -> assertThat(m.threadTs()).isNull());
      // the run's thread survived the restart (SLACK_RUN_THREAD): the late notice is a reply, shown in the channel too
      assertThat(slack.messages("tts")).filteredOn(m -> m.text().contains(lastWord)).singleElement().satisfies(m -> {
        assertThat(m.text()).contains("While Slack was unreachable");
        assertThat(m.threadTs()).isEqualTo(parent.ts());
        assertThat(m.broadcast()).isTrue();
      });
      JdbcTemplate jdbc = new JdbcTemplate(second.getBean(DataSource.class));
      await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(
          jdbc.queryForObject("SELECT STATE FROM SLACK_NOTICE WHERE ID = ?", String.class, d.id())));
    }
  }
}
