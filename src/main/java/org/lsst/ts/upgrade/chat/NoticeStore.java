package org.lsst.ts.upgrade.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Slack notices that could not be posted at once, in the orchestrator's database (table
 * {@code SLACK_NOTICE}): kept across restarts and seen by every node, until delivered, dropped or
 * given up. Each write commits at once in a transaction of its own: a notice already posted must
 * stay recorded as posted even when the engine's transaction around it rolls back. A retry claims
 * the site's pending notices for {@link #CLAIM} ({@code CLAIMED_UNTIL}), so two nodes (or two
 * retry jobs) never post the same notice twice.
 */
@Component
class NoticeStore {
  static final String PENDING = "PENDING";
  static final String DELIVERED = "DELIVERED";
  static final String DROPPED = "DROPPED";
  static final String GAVE_UP = "GAVE_UP";
  /** Longer than a retry's posts (one request per channel, each within upgrade.slack.timeout). */
  static final Duration CLAIM = Duration.ofMinutes(2);
  private static final Duration KEPT = Duration.ofDays(90);
  private static final int MAX_TEXT = 39_000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate own;

  NoticeStore(DataSource dataSource, PlatformTransactionManager transactions) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.own = new TransactionTemplate(transactions);
    own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    try {
      own.executeWithoutResult(s -> jdbc.execute("CREATE TABLE IF NOT EXISTS SLACK_NOTICE (ID VARCHAR(64) NOT NULL PRIMARY KEY,"
          + " SITE VARCHAR(64) NOT NULL, RUN_ID VARCHAR(190), CHANNEL VARCHAR(100) NOT NULL, LABEL VARCHAR(100),"
          + " IS_FINAL BOOLEAN NOT NULL, NOTICE_TEXT VARCHAR(40000) NOT NULL, CREATED_AT BIGINT NOT NULL,"
          + " ATTEMPTS INT NOT NULL, LAST_ERROR VARCHAR(1000), STATE VARCHAR(16) NOT NULL, DONE_AT BIGINT,"
          + " CLAIMED_BY VARCHAR(64), CLAIMED_UNTIL BIGINT)"));
    } catch (RuntimeException e) {
      // another node created it at the same moment
      own.executeWithoutResult(s -> jdbc.queryForObject("SELECT COUNT(*) FROM SLACK_NOTICE", Long.class));
    }
    try {
      // a retry reads a site's pending notices, a report a run's: both H2 and PostgreSQL take IF NOT EXISTS
      own.executeWithoutResult(s -> {
        jdbc.execute("CREATE INDEX IF NOT EXISTS SLACK_NOTICE_SITE_STATE ON SLACK_NOTICE (SITE, STATE)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS SLACK_NOTICE_RUN ON SLACK_NOTICE (RUN_ID)");
      });
    } catch (RuntimeException e) {
      // another node created them at the same moment: the table works without them anyway
    }
    own.executeWithoutResult(s -> jdbc.update("DELETE FROM SLACK_NOTICE WHERE CREATED_AT < ? AND STATE <> ?",
        Instant.now().minus(KEPT).toEpochMilli(), PENDING));
  }

  /** A notice as stored. */
  record Row(String id, String site, String runId, String channel, String label, boolean last, String text,
      Instant created, int attempts, String lastError, String state, Instant doneAt) {}

  private static final String COLUMNS = "ID, SITE, RUN_ID, CHANNEL, LABEL, IS_FINAL, NOTICE_TEXT, CREATED_AT, ATTEMPTS,"
      + " LAST_ERROR, STATE, DONE_AT";
  private static final RowMapper<Row> ROW = (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
      rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)),
      rs.getInt(9), rs.getString(10), rs.getString(11),
      rs.getObject(12) == null ? null : Instant.ofEpochMilli(rs.getLong(12)));

  void insert(Row r) {
    String text = r.text().length() <= MAX_TEXT ? r.text() : r.text().substring(0, MAX_TEXT - 1) + "…";
    own.executeWithoutResult(s -> jdbc.update("INSERT INTO SLACK_NOTICE (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(), r.site(), r.runId(), r.channel(), r.label(), r.last(), text, r.created().toEpochMilli(), r.attempts(),
        bounded(r.lastError()), r.state(), r.doneAt() == null ? null : r.doneAt().toEpochMilli()));
  }

  /**
   * Claims the site's pending notices not claimed by someone else (or whose claim expired: a node
   * that died while posting) and returns them, oldest first.
   */
  List<Row> claimPending(String site, String claimer, Instant now) {
    return own.execute(s -> {
      jdbc.update("UPDATE SLACK_NOTICE SET CLAIMED_BY = ?, CLAIMED_UNTIL = ? WHERE SITE = ? AND STATE = ?"
          + " AND (CLAIMED_UNTIL IS NULL OR CLAIMED_UNTIL < ?)", claimer, now.plus(CLAIM).toEpochMilli(), site, PENDING,
          now.toEpochMilli());
      return jdbc.query("SELECT " + COLUMNS + " FROM SLACK_NOTICE WHERE SITE = ? AND STATE = ? AND CLAIMED_BY = ?"
          + " ORDER BY CREATED_AT, ID", ROW, site, PENDING, claimer);
    });
  }

  /** The end of a claimed notice: delivered, dropped or given up (no claim left). */
  void finish(String id, String state, Instant at, String error) {
    own.executeWithoutResult(s -> jdbc.update("UPDATE SLACK_NOTICE SET STATE = ?, DONE_AT = ?, LAST_ERROR = COALESCE(?, LAST_ERROR),"
        + " CLAIMED_BY = NULL, CLAIMED_UNTIL = NULL WHERE ID = ?", state, at.toEpochMilli(), bounded(error), id));
  }

  /** Another failed attempt of a claimed notice; released for the next retry. */
  void failed(String id, String error) {
    own.executeWithoutResult(s -> jdbc.update("UPDATE SLACK_NOTICE SET ATTEMPTS = ATTEMPTS + 1, LAST_ERROR = ?,"
        + " CLAIMED_BY = NULL, CLAIMED_UNTIL = NULL WHERE ID = ?", bounded(error), id));
  }

  /** Gives back what this claim still holds (a node stopping while it posts): no need to wait for the claim's end. */
  void release(String claimer) {
    own.executeWithoutResult(s -> jdbc.update("UPDATE SLACK_NOTICE SET CLAIMED_BY = NULL, CLAIMED_UNTIL = NULL"
        + " WHERE CLAIMED_BY = ? AND STATE = ?", claimer, PENDING));
  }

  /** The site's notices not delivered (any run, or the given one), oldest first. */
  List<Row> notDelivered(String site, String runId) {
    return own.execute(s -> runId == null
        ? jdbc.query("SELECT " + COLUMNS + " FROM SLACK_NOTICE WHERE SITE = ? AND STATE <> ? ORDER BY CREATED_AT, ID",
            ROW, site, DELIVERED)
        : jdbc.query("SELECT " + COLUMNS + " FROM SLACK_NOTICE WHERE SITE = ? AND RUN_ID = ? AND STATE <> ?"
            + " ORDER BY CREATED_AT, ID", ROW, site, runId, DELIVERED));
  }

  /** Every kept notice of a run, whatever became of it, oldest first. */
  List<Row> ofRun(String runId) {
    return own.execute(s -> jdbc.query("SELECT " + COLUMNS + " FROM SLACK_NOTICE WHERE RUN_ID = ? ORDER BY CREATED_AT, ID",
        ROW, runId));
  }

  long count(String site, String state) {
    Long n = own.execute(s -> jdbc.queryForObject("SELECT COUNT(*) FROM SLACK_NOTICE WHERE SITE = ? AND STATE = ?",
        Long.class, site, state));
    return n == null ? 0 : n;
  }

  List<String> sitesWithPending() {
    return own.execute(s -> jdbc.queryForList("SELECT DISTINCT SITE FROM SLACK_NOTICE WHERE STATE = ?", String.class,
        PENDING));
  }

  private static String bounded(String error) {
    return error == null || error.length() <= 1000 ? error : error.substring(0, 999) + "…";
  }
}
