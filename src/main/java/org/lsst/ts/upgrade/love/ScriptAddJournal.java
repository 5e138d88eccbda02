package org.lsst.ts.upgrade.love;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The adds this orchestrator sent, by tag, in its own database (table {@code LOVE_SCRIPT_ADD}):
 * what was sent and when, and the script's index once known. The ScriptQueue never reports a
 * script's {@code descr}, so this record is what lets a retried add — after a 504, a crash or a
 * restart of the orchestrator — recognise its script instead of adding it again. Each write is
 * committed at once in a transaction of its own: the step calling LOVE may still roll back (a
 * failed job), and the record must survive exactly then.
 */
@Component
class ScriptAddJournal {
  /** An add, as recorded before it was sent; {@code index} once the script is known. */
  record Entry(String site, int queue, String tag, String path, boolean standard, int mark, Instant sent,
      Integer index) {}

  private static final Duration KEPT = Duration.ofDays(90);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate own;

  ScriptAddJournal(DataSource dataSource, PlatformTransactionManager transactions) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.own = new TransactionTemplate(transactions);
    own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    own.executeWithoutResult(s -> {
      jdbc.execute("CREATE TABLE IF NOT EXISTS LOVE_SCRIPT_ADD (SITE VARCHAR(64) NOT NULL,"
          + " QUEUE_INDEX INT NOT NULL, TAG VARCHAR(160) NOT NULL, SCRIPT_PATH VARCHAR(255) NOT NULL,"
          + " IS_STANDARD BOOLEAN NOT NULL, INDEX_MARK INT NOT NULL, SENT_AT BIGINT NOT NULL, SCRIPT_INDEX INT,"
          + " PRIMARY KEY (SITE, QUEUE_INDEX, TAG))");
      jdbc.update("DELETE FROM LOVE_SCRIPT_ADD WHERE SENT_AT < ?", Instant.now().minus(KEPT).toEpochMilli());
    });
  }

  Optional<Entry> find(String site, int queue, String tag) {
    List<Entry> l = own.execute(s -> jdbc.query("SELECT SCRIPT_PATH, IS_STANDARD, INDEX_MARK, SENT_AT, SCRIPT_INDEX"
        + " FROM LOVE_SCRIPT_ADD WHERE SITE = ? AND QUEUE_INDEX = ? AND TAG = ?", (rs, n) -> new Entry(site, queue, tag,
        rs.getString(1), rs.getBoolean(2), rs.getInt(3), Instant.ofEpochMilli(rs.getLong(4)),
        (Integer) rs.getObject(5, Integer.class)), site, queue, tag));
    return l == null || l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  /** Recorded before {@code cmd_add} is sent (again): a crash from here on leaves the mark to search from. */
  void sending(Entry e) {
    own.executeWithoutResult(s -> {
      int n = jdbc.update("UPDATE LOVE_SCRIPT_ADD SET SCRIPT_PATH = ?, IS_STANDARD = ?, INDEX_MARK = ?, SENT_AT = ?,"
          + " SCRIPT_INDEX = NULL WHERE SITE = ? AND QUEUE_INDEX = ? AND TAG = ?", e.path(), e.standard(), e.mark(),
          e.sent().toEpochMilli(), e.site(), e.queue(), e.tag());
      if (n == 0) {
        jdbc.update("INSERT INTO LOVE_SCRIPT_ADD (SITE, QUEUE_INDEX, TAG, SCRIPT_PATH, IS_STANDARD, INDEX_MARK,"
            + " SENT_AT) VALUES (?, ?, ?, ?, ?, ?, ?)", e.site(), e.queue(), e.tag(), e.path(), e.standard(), e.mark(),
            e.sent().toEpochMilli());
      }
    });
  }

  /** The add of this tag certainly did not happen (LOVE refused it before acting): nothing to look for. */
  void forget(String site, int queue, String tag) {
    own.executeWithoutResult(s -> jdbc.update("DELETE FROM LOVE_SCRIPT_ADD WHERE SITE = ? AND QUEUE_INDEX = ?"
        + " AND TAG = ? AND SCRIPT_INDEX IS NULL", site, queue, tag));
  }

  /** The script of this tag is {@code index}. */
  void added(String site, int queue, String tag, int index) {
    own.executeWithoutResult(s -> jdbc.update("UPDATE LOVE_SCRIPT_ADD SET SCRIPT_INDEX = ? WHERE SITE = ?"
        + " AND QUEUE_INDEX = ? AND TAG = ?", index, site, queue, tag));
  }

  /**
   * Indices known to be the scripts of other tags on this queue, sent since {@code since}: never taken
   * for another add (older ones are left out: a restarted ScriptQueue uses its indices again).
   */
  Set<Integer> claimed(String site, int queue, String exceptTag, Instant since) {
    List<Integer> l = own.execute(s -> jdbc.queryForList("SELECT SCRIPT_INDEX FROM LOVE_SCRIPT_ADD WHERE SITE = ?"
        + " AND QUEUE_INDEX = ? AND TAG <> ? AND SENT_AT >= ? AND SCRIPT_INDEX IS NOT NULL", Integer.class, site, queue,
        exceptTag, since.toEpochMilli()));
    return l == null ? Set.of() : l.stream().collect(Collectors.toSet());
  }
}
