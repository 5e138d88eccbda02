package org.lsst.ts.upgrade.csc;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * The CSC monitor's health per site, for Prometheus: how old the newest record from the site's
 * Kafka is (a growing age means the monitor is blind, whatever the CSCs do) and how many records
 * it could not decode.
 */
@Component
class CscMonitorMetrics implements MeterBinder {
  private final KafkaCscMonitor monitor;
  private final Sites sites;
  private final Clock clock = Clock.systemUTC();

  CscMonitorMetrics(KafkaCscMonitor monitor, Sites sites) {
    this.monitor = monitor;
    this.sites = sites;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String site : sites.ids()) {
      Gauge.builder("upgrade.csc.monitor.record.age", () -> recordAgeSeconds(site))
          .description("Seconds since the last record from the site's Kafka arrived (NaN before the first)")
          .baseUnit("seconds")
          .tag("site", site)
          .register(registry);
      FunctionCounter.builder("upgrade.csc.monitor.undecodable.records", monitor, m -> m.undecodableTotal(site))
          .description("Records from the site's Kafka the CSC monitor could not decode and skipped")
          .tag("site", site)
          .register(registry);
    }
  }

  private double recordAgeSeconds(String site) {
    Instant last = monitor.lastRecord(site);
    return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
  }
}
