package org.lsst.ts.upgrade.runbook.hoststeps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Starts the long cRIO rebuild (ts_xml, salgeneratorKafka, ts_cRIOcpp, the CSC) detached on every
 * cRIO of the site, except those of held CSCs. Idempotent per job id; a retry after a failure
 * ("retry" in the form) uses the next attempt number so the rebuild runs again.
 */
@Component
public class StartCrioRebuilds implements JavaDelegate {
  static final String ATTEMPT = "crioAttempt";

  private final RemoteHosts hosts;
  private final Sites sites;

  public StartCrioRebuilds(RemoteHosts hosts, Sites sites) {
    this.hosts = hosts;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    int attempt = v.integer(ATTEMPT, 0) + ("retry".equals(v.stringOr(CRIO_DECISION, "")) ? 1 : 0);
    v.set(ATTEMPT, attempt).set(CRIO_DECISION, null).set(CRIOS_DONE, false)
        .set(CRIO_REBUILDS_STARTED_AT, org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime());
    // the cRIOs at once: the step takes as long as the slowest start, every cRIO is tried
    Map<String, String> jobIds = new LinkedHashMap<>();
    Map<String, List<HostCommand>> commands = new LinkedHashMap<>();
    for (var h : SitePlan.crios(site)) {
      jobIds.put(h.name(), jobId(v, attempt));
      commands.put(h.name(), h.rebuild().stream().map(HostCommand::of).toList());
    }
    hosts.startDetachedOnEach(site.id(), jobIds, commands);
  }

  static String jobId(RunVariables v, int attempt) {
    return "crio-rebuild-" + v.runId().replaceAll("[^A-Za-z0-9_-]", "-") + "-" + attempt;
  }
}
