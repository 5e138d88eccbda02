package org.lsst.ts.upgrade.runbook.recovery;

import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunPlans;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookProperties;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import static org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds.*;
import static org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds.*;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Plans {@code os-k8s-recovery}: the apps as in the full upgrade; the Summit steps (cRIO services,
 * azar03's CSCs, azar02's reboot) on a site with cRIO hosts; minimal testing of both telescopes on
 * a test stand ({@link SitePlan#testStand}).
 */
@Component
@LocalStep
public class PlanOsK8sRecovery implements JavaDelegate {
  private final Sites sites;
  private final RunbookProperties properties;

  public PlanOsK8sRecovery(Sites sites, RunbookProperties properties) {
    this.sites = sites;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    RunPlans.common(v, site, properties);
    var argo = site.argocd();
    v.set(PLATFORM_APPS, List.of(argo.parentApp(), argo.nubladoApp()));
    List<String> first = new ArrayList<>(argo.firstTelescopeApps());
    List<String> rest = new ArrayList<>(argo.telescopeApps());
    rest.removeAll(first);
    v.set(TELESCOPE_FIRST_APPS, first);
    v.set(TELESCOPE_OTHER_APPS, rest);
    v.set(MONITOR_EXPECTATIONS, SitePlan.recoveryExpectations(site));
    // after the monitor: held CSCs back in their held state, the enable-at-end list ENABLED, verified
    v.set(ENABLE_SCRIPT_CONFIG_JSON, ScriptConfigs.toJson(ScriptConfigs.setSummaryState(
        SitePlan.recoveryFinalStates(site), null)));
    v.set(ENABLE_EXPECTATIONS, SitePlan.recoveryFinalExpectations(site));
    boolean summit = !SitePlan.crios(site).isEmpty();
    if (summit && (site.host(AZAR03).isEmpty() || site.host(AZAR02).isEmpty())) {
      throw new IllegalStateException("site " + site.id() + " has cRIO hosts but no host " + AZAR03 + " or "
          + AZAR02 + " in its site file: the Summit recovery needs both");
    }
    v.set(VAR_SUMMIT_RECOVERY, summit);
    v.set(VAR_RESTART_HOST, AZAR03);
    v.set(VAR_REBOOT_HOST, AZAR02);
    if (!v.has(VAR_HOST_BACK_TIMEOUT)) {
      v.set(VAR_HOST_BACK_TIMEOUT, DEFAULT_HOST_BACK_TIMEOUT);
    }
    v.set(IncrementalUpgradeIds.VAR_TEST_STAND, SitePlan.testStand(site));
    List<String> both = new ArrayList<>(List.of(RunProcesses.AUXTEL, RunProcesses.MAINTEL));
    if (site.minimalTesting() != null && site.minimalTesting().telescopes() != null
        && !site.minimalTesting().telescopes().isEmpty()) {
      both.retainAll(site.minimalTesting().telescopes());
    }
    v.set(RunVariables.TELESCOPES, both);
  }
}
