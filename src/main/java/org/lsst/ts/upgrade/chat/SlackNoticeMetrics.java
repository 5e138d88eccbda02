package org.lsst.ts.upgrade.chat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/** Slack notices not yet delivered per site: still retried (pending) or given up (undelivered). */
@Component
class SlackNoticeMetrics implements MeterBinder {
  private final SlackNotifier notifier;
  private final Sites sites;

  SlackNoticeMetrics(SlackNotifier notifier, Sites sites) {
    this.notifier = notifier;
    this.sites = sites;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String site : sites.ids()) {
      Gauge.builder("upgrade.slack.notices.pending", notifier, n -> n.count(site, true))
          .description("Slack notices that could not be posted yet and are being retried")
          .tag("site", site)
          .register(registry);
      Gauge.builder("upgrade.slack.notices.undelivered", notifier, n -> n.count(site, false))
          .description("Slack notices given up after every retry")
          .tag("site", site)
          .register(registry);
    }
  }
}
