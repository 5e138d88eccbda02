package org.lsst.ts.upgrade.runbook.sync;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.runbook.sync.*}: how long an Argo CD app's sync usually takes. Past it a person
 * is asked at once (wait, or stop waiting: the sync's failure task), long before the hard deadline
 * {@code upgrade.argocd.sync-timeout}.
 *
 * @param expectedDuration the soft deadline of an app with no figure of its own
 * @param expected per app name (e.g. {@code upgrade.runbook.sync.expected.sasquatch=8m})
 */
@ConfigurationProperties("upgrade.runbook.sync")
public record SyncStepProperties(@DefaultValue("5m") Duration expectedDuration, Map<String, Duration> expected) {

  public SyncStepProperties {
    expected = expected == null ? Map.of() : Map.copyOf(expected);
  }

  public Duration expectedFor(String app) {
    return app == null ? expectedDuration : expected.getOrDefault(app, expectedDuration);
  }
}
