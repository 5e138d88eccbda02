package org.lsst.ts.upgrade.runbook;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.Date;
import java.util.List;
import org.lsst.ts.upgrade.site.Site;

/** What the first step of every run (its plan) writes whatever the process. */
public final class RunPlans {
  private RunPlans() {}

  /**
   * The links every monitoring task shows: LOVE's summary view ({@code love-summary-view}) and the
   * site's Chronograf dashboards ({@code chronograf-dashboards}), with the tools' addresses.
   */
  public static String monitoringLinks(Site site) {
    var e = site.endpoints();
    StringBuilder s = new StringBuilder("Monitoring: LOVE summary view **")
        .append(site.loveSummaryView() == null ? "(none set)" : site.loveSummaryView()).append("**");
    if (e != null && e.love() != null) {
      s.append(" (").append(e.love()).append(")");
    }
    s.append("; Chronograf dashboards: ");
    s.append(site.chronografDashboards() == null || site.chronografDashboards().isEmpty() ? "(none set)"
        : site.chronografDashboards().stream().map(d -> "**" + d + "**").collect(java.util.stream.Collectors.joining(", ")));
    if (e != null && e.chronograf() != null) {
      s.append(" (").append(e.chronograf()).append(")");
    }
    return s.append(".").toString();
  }

  /** The variables every run needs: links for the forms, the queue, poll interval and deadlines, empty lists. */
  public static void common(RunVariables v, Site site, RunbookProperties properties) {
    v.set(STARTED_AT, new Date());
    v.set(SITE_NAME, site.displayName());
    v.set(SITE_CHANNEL, site.slack() == null ? null : site.slack().channel());
    var e = site.endpoints();
    v.set(LOVE_URL, e == null ? null : e.love());
    v.set(ARGOCD_URL, e == null ? null : e.argocd());
    v.set(CHRONOGRAF_URL, e == null ? null : e.chronograf());
    v.set(NUBLADO_URL, e == null ? null : e.nublado());
    v.set(LOVE_SUMMARY_VIEW, site.loveSummaryView());
    v.set(MONITORING_LINKS_TEXT, monitoringLinks(site));
    if (!v.has(SCRIPT_QUEUE)) {
      v.set(SCRIPT_QUEUE, properties.scriptQueue());
    }
    v.set(POLL_INTERVAL, properties.pollInterval().toString());
    v.set(OFFLINE_TIMEOUT, properties.offlineTimeout().toString());
    v.set(MONITOR_TIMEOUT, properties.monitorTimeout().toString());
    v.set(STILL_ALIVE_ASK_AFTER, properties.stillAliveAskAfter().toString());
    v.set(BRING_UP_ASK_AFTER, properties.bringUpAskAfter().toString());
    v.set(COMPATIBILITY_RELAXED, false);
    v.set(COMPATIBILITY_RESTORED, false);
    v.set(UNDELIVERED_NOTICES, List.of());
  }
}
