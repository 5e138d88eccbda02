package org.lsst.ts.upgrade.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.metrics.*}: the Prometheus scrape user of {@code /actuator/prometheus}. It is not
 * an engine user (it cannot log in to the webapps or the REST API); without a password only
 * administrators can read the metrics.
 *
 * @param scrapeUser the user name Prometheus sends
 * @param scrapePassword its password, from {@code UPGRADE_METRICS_PASSWORD}; never logged
 */
@ConfigurationProperties("upgrade.metrics")
record MetricsProperties(@DefaultValue("prometheus") String scrapeUser, String scrapePassword) {

  boolean hasScrapePassword() {
    return scrapePassword != null && !scrapePassword.isBlank();
  }

  @Override
  public String toString() {
    return "MetricsProperties[scrapeUser=" + scrapeUser + ", scrapePassword=" + (hasScrapePassword() ? "****" : "<unset>") + "]";
  }
}
