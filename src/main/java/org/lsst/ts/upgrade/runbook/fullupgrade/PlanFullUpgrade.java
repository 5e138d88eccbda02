package org.lsst.ts.upgrade.runbook.fullupgrade;

import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunPlans;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookProperties;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Host;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * First step of a run: reads the site file once and writes the plan as variables (flags the BPMN
 * branches on, app lists, links for the forms, the monitor's expectations). Local only: nothing
 * remote is called, so the run's start fails at once on an unknown site.
 */
@Component
@LocalStep
public class PlanFullUpgrade implements JavaDelegate {
  private final Sites sites;
  private final RunbookProperties properties;

  public PlanFullUpgrade(Sites sites, RunbookProperties properties) {
    this.sites = sites;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    RunPlans.common(v, site, properties);
    v.set(CONFIRM_M2_CLOSED_LOOP, site.requiresM2ClosedLoop());
    v.set(HAS_HELD_STATES, !SitePlan.held(site).isEmpty());
    v.set(HAS_CAMERA_BRIDGES, !SitePlan.cameraHosts(site).isEmpty());
    v.set(HAS_BARE_METAL_SERVICES, !SitePlan.bareMetalShutdownHosts(site).isEmpty()
        || !SitePlan.bareMetalStartupHosts(site).isEmpty());
    v.set(HAS_BARE_METAL_REPOS, !SitePlan.repoHosts(site).isEmpty());
    v.set(HAS_ESS_CONTROLLERS, !SitePlan.essControllers(site).isEmpty());
    v.set(HAS_CRIOS, !SitePlan.crios(site).isEmpty());
    v.set(HAS_HELD_CRIOS, !SitePlan.heldCrios(site).isEmpty());
    v.set(HELD_CRIOS_TEXT, SitePlan.heldCriosText(site));
    v.set(UPDATE_ESS_CONTROLLERS, !SitePlan.essControllers(site).isEmpty());
    v.set(UPDATE_CRIOS, !SitePlan.crios(site).isEmpty());
    v.set(CAMERA_HOSTS_TEXT, cameraText(SitePlan.cameraHosts(site)));
    var argo = site.argocd();
    v.set(PLATFORM_APPS, List.of(argo.parentApp(), argo.nubladoApp()));
    v.set(SASQUATCH_APP, argo.sasquatchApp());
    List<String> first = new ArrayList<>(argo.firstTelescopeApps());
    List<String> rest = new ArrayList<>(argo.telescopeApps());
    rest.removeAll(first);
    v.set(TELESCOPE_FIRST_APPS, first);
    v.set(TELESCOPE_OTHER_APPS, rest);
    v.set(MONITOR_EXPECTATIONS, SitePlan.monitorExpectations(site));
    v.set(ENABLE_SCRIPT_CONFIG_JSON, site.enableAtEnd().isEmpty() ? null
        : ScriptConfigs.toJson(ScriptConfigs.setSummaryState(site.enableAtEnd(), null)));
    v.set(ENABLE_EXPECTATIONS, SitePlan.enableExpectations(site));
    v.set(SYNC_SASQUATCH, true);
    v.set(INTEGRATION_TESTING_NEXT, false);
  }

  private static String cameraText(List<Host> hosts) {
    if (hosts.isEmpty()) {
      return "This site has no camera OCS bridges.";
    }
    return hosts.stream()
        .map(h -> "- " + h.hostname() + ": " + String.join("; ", h.startup()))
        .collect(Collectors.joining("\n"));
  }
}
