package org.lsst.ts.upgrade.runbook.notices;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.lsst.ts.upgrade.chat.Notifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which Slack message shows which task (table {@code SLACK_TASK_MESSAGE}), so the message can be
 * updated when the task is completed or withdrawn — after a restart too, and on whichever node
 * completes it. Without a database (the engine-level tests) it is kept in memory.
 */
@Component
class TaskMessageStore {
  /** A task's message and the text it opened with. */
  record Entry(String site, Notifier.Posted message, String section) {}

  private final JdbcTemplate jdbc;
  private final Map<String, Entry> memory = new ConcurrentHashMap<>();

  TaskMessageStore(ObjectProvider<DataSource> dataSource) {
    DataSource ds = dataSource.getIfAvailable();
    this.jdbc = ds == null ? null : new JdbcTemplate(ds);
    if (jdbc != null) {
      try {
        jdbc.execute("CREATE TABLE IF NOT EXISTS SLACK_TASK_MESSAGE (TASK_ID VARCHAR(64) NOT NULL PRIMARY KEY,"
            + " SITE VARCHAR(64) NOT NULL, CHANNEL VARCHAR(100) NOT NULL, TS VARCHAR(40) NOT NULL,"
            + " SECTION VARCHAR(3100) NOT NULL, CREATED_AT BIGINT NOT NULL)");
      } catch (RuntimeException e) {
        // another node created it at the same moment
        jdbc.queryForObject("SELECT COUNT(*) FROM SLACK_TASK_MESSAGE", Long.class);
      }
    }
  }

  void save(String taskId, Entry e) {
    if (jdbc == null) {
      memory.put(taskId, e);
      return;
    }
    jdbc.update("INSERT INTO SLACK_TASK_MESSAGE (TASK_ID, SITE, CHANNEL, TS, SECTION, CREATED_AT) VALUES (?, ?, ?, ?, ?, ?)",
        taskId, e.site(), e.message().channel(), e.message().ts(), e.section(), System.currentTimeMillis());
  }

  Optional<Entry> find(String taskId) {
    if (jdbc == null) {
      return Optional.ofNullable(memory.get(taskId));
    }
    return jdbc.query("SELECT SITE, CHANNEL, TS, SECTION FROM SLACK_TASK_MESSAGE WHERE TASK_ID = ?",
        (rs, n) -> new Entry(rs.getString(1), new Notifier.Posted(rs.getString(2), rs.getString(3)), rs.getString(4)),
        taskId).stream().findFirst();
  }

  void remove(String taskId) {
    if (jdbc == null) {
      memory.remove(taskId);
    } else {
      jdbc.update("DELETE FROM SLACK_TASK_MESSAGE WHERE TASK_ID = ?", taskId);
    }
  }
}
