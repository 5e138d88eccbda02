package org.lsst.ts.upgrade.csc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.csc.*}: the CSC state monitor.
 *
 * @param heartbeatTimeout a CSC without a heartbeat for this long is effectively OFFLINE
 * @param historyRecords how many records per topic are read back on start (end offset minus this):
 *     summaryState is published only on change, but topics are never replayed whole
 * @param topicRefresh how often the site's topic list is read to find new event topics
 * @param pollTimeout longest wait of one consumer poll
 * @param retryBackoff wait after a failure before trying again (consumer, schema registry)
 */
@ConfigurationProperties("upgrade.csc")
public record CscProperties(
    @DefaultValue("5s") Duration heartbeatTimeout,
    @DefaultValue("1000") int historyRecords,
    @DefaultValue("5s") Duration topicRefresh,
    @DefaultValue("200ms") Duration pollTimeout,
    @DefaultValue("1s") Duration retryBackoff) {

  public CscProperties {
    if (heartbeatTimeout == null || heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
      throw new IllegalArgumentException("upgrade.csc.heartbeat-timeout must be positive: " + heartbeatTimeout);
    }
    if (historyRecords < 1) {
      throw new IllegalArgumentException("upgrade.csc.history-records must be at least 1: " + historyRecords);
    }
    topicRefresh = topicRefresh == null ? Duration.ofSeconds(5) : topicRefresh;
    pollTimeout = pollTimeout == null ? Duration.ofMillis(200) : pollTimeout;
    retryBackoff = retryBackoff == null ? Duration.ofSeconds(1) : retryBackoff;
  }

  public static CscProperties defaults() {
    return new CscProperties(Duration.ofSeconds(5), 1000, null, null, null);
  }
}
