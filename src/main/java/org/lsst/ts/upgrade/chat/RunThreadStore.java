package org.lsst.ts.upgrade.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each run's Slack thread per channel (table {@code SLACK_RUN_THREAD}): the {@code ts} of the run's
 * first message delivered to the channel, which the run's later notices answer. In the database, as
 * {@link NoticeStore}, so the thread survives a restart and every node posts into the same one.
 * Each write commits in a transaction of its own: the parent is posted whatever becomes of the
 * engine's transaction around it.
 */
@Component
class RunThreadStore {
  private static final Duration KEPT = Duration.ofDays(90);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate own;

  RunThreadStore(DataSource dataSource, PlatformTransactionManager transactions) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.own = new TransactionTemplate(transactions);
    own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    try {
      own.executeWithoutResult(s -> jdbc.execute("CREATE TABLE IF NOT EXISTS SLACK_RUN_THREAD (RUN_ID VARCHAR(190) NOT NULL,"
          + " CHANNEL VARCHAR(100) NOT NULL, SITE VARCHAR(64) NOT NULL, TS VARCHAR(40) NOT NULL, CREATED_AT BIGINT NOT NULL,"
          + " PRIMARY KEY (RUN_ID, CHANNEL))"));
    } catch (RuntimeException e) {
      // another node created it at the same moment
      own.executeWithoutResult(s -> jdbc.queryForObject("SELECT COUNT(*) FROM SLACK_RUN_THREAD", Long.class));
    }
    own.executeWithoutResult(s -> jdbc.update("DELETE FROM SLACK_RUN_THREAD WHERE CREATED_AT < ?",
        Instant.now().minus(KEPT).toEpochMilli()));
  }

  /** The {@code ts} of the run's thread in the channel (the channel as the notices name it), if it has one. */
  Optional<String> find(String runId, String channel) {
    return own.execute(s -> jdbc.queryForList("SELECT TS FROM SLACK_RUN_THREAD WHERE RUN_ID = ? AND CHANNEL = ?",
        String.class, runId, channel)).stream().findFirst();
  }

  /**
   * Records the run's thread in the channel; false when it already had one (another node posted
   * its parent at the same moment: this message stays a message of its own).
   */
  boolean record(String runId, String channel, String site, String ts) {
    try {
      own.executeWithoutResult(s -> jdbc.update("INSERT INTO SLACK_RUN_THREAD (RUN_ID, CHANNEL, SITE, TS, CREATED_AT)"
          + " VALUES (?, ?, ?, ?, ?)", runId, channel, site, ts, Instant.now().toEpochMilli()));
      return true;
    } catch (DataIntegrityViolationException e) {
      return false;
    }
  }
}
