package org.lsst.ts.upgrade.runbook.testing;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import static org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Decides what this minimal test covers from the site file: which telescopes (the run's
 * {@code telescopes}, else the site's), whether images are taken (TTS: tracking only), and the
 * Chronograf dashboards the people check for ingested images.
 */
@Component
@LocalStep
public class MinimalTestingPlan implements JavaDelegate {
  private final Sites sites;

  public MinimalTestingPlan(Sites sites) {
    this.sites = sites;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void execute(DelegateExecution execution) {
    Site site = sites.require((String) execution.getVariable(RunVariables.SITE));
    List<String> requested = (List<String>) execution.getVariable(RunVariables.TELESCOPES);
    List<String> telescopes = new ArrayList<>(requested == null || requested.isEmpty()
        ? site.minimalTesting().telescopes() : requested);
    telescopes.retainAll(site.minimalTesting().telescopes());
    if (telescopes.isEmpty()) {
      throw new IllegalStateException("no telescope to test at site " + site.id() + ": asked for " + requested
          + ", the site file tests " + site.minimalTesting().telescopes());
    }
    execution.setVariable(VAR_TEST_AUXTEL, telescopes.contains(RunProcesses.AUXTEL));
    execution.setVariable(VAR_TEST_MAINTEL, telescopes.contains(RunProcesses.MAINTEL));
    execution.setVariable(VAR_TAKES_IMAGES, site.minimalTesting().takesImages());
    execution.setVariable(VAR_CHRONOGRAF_URL, site.endpoints().chronograf());
    execution.setVariable(VAR_NUBLADO_URL, site.endpoints().nublado());
    execution.setVariable(VAR_AUXTEL_DASHBOARDS, dashboards(site, "LATISS"));
    execution.setVariable(VAR_MAINTEL_DASHBOARDS, dashboards(site, "LSSTCam"));
    // created here, at the process scope, so the parallel branches' boundary events and call
    // activities update these instead of creating branch-local copies
    for (String name : List.of(VAR_AUXTEL_FAILURE, VAR_MAINTEL_FAILURE, VAR_AUXTEL_SAFE_FAILURES,
        VAR_MAINTEL_SAFE_FAILURES)) {
      execution.setVariable(name, null);
    }
    execution.setVariable(VAR_AUXTEL_SAFE, false);
    execution.setVariable(VAR_MAINTEL_SAFE, false);
  }

  /** The site's Chronograf dashboards for a camera (seed: Exposure Table, Header Status, OODS ingest status). */
  static String dashboards(Site site, String camera) {
    List<String> names = site.chronografDashboards().stream().filter(d -> d.startsWith(camera + " ")).toList();
    return names.isEmpty()
        ? "(the site file lists no " + camera + " dashboard: check " + camera + " Exposure Table, Header Status and OODS ingest status)"
        : String.join("\n", names);
  }
}
