package org.lsst.ts.upgrade.chat;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A Slack request signature is accepted once. Signatures seen in the last {@link #KEPT} (the
 * 5-minute window Slack's timestamps are accepted in, and a margin) are kept in the database
 * (table {@code SLACK_REQUEST_SIGNATURE}), so every node of the orchestrator agrees: the primary
 * key makes the second insert of a signature fail, wherever it is tried.
 */
@Component
public class SlackReplayGuard {
  static final Duration KEPT = Duration.ofMinutes(10);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate own;
  private final Clock clock;

  @org.springframework.beans.factory.annotation.Autowired
  SlackReplayGuard(DataSource dataSource, PlatformTransactionManager transactions) {
    this(dataSource, transactions, Clock.systemUTC());
  }

  SlackReplayGuard(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.own = new TransactionTemplate(transactions);
    this.clock = clock;
    own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    try {
      own.executeWithoutResult(s -> jdbc.execute("CREATE TABLE IF NOT EXISTS SLACK_REQUEST_SIGNATURE"
          + " (SIGNATURE VARCHAR(100) NOT NULL PRIMARY KEY, SEEN_AT BIGINT NOT NULL)"));
    } catch (RuntimeException e) {
      // another node created it at the same moment
      own.executeWithoutResult(s -> jdbc.queryForObject("SELECT COUNT(*) FROM SLACK_REQUEST_SIGNATURE", Long.class));
    }
  }

  /** True the first time this signature is seen (and remembers it); false for a replay. */
  public boolean firstUse(String signature) {
    long now = clock.millis();
    try {
      own.executeWithoutResult(s -> {
        jdbc.update("DELETE FROM SLACK_REQUEST_SIGNATURE WHERE SEEN_AT < ?", now - KEPT.toMillis());
        jdbc.update("INSERT INTO SLACK_REQUEST_SIGNATURE (SIGNATURE, SEEN_AT) VALUES (?, ?)", signature, now);
      });
      return true;
    } catch (DataIntegrityViolationException replay) {
      return false;
    }
  }
}
