package org.lsst.ts.upgrade.runbook.hoststeps;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.BpmnErrors;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/** One poll of the cRIO rebuilds; any failed one (once all have ended) is BPMN error {@code CRIO_REBUILD_FAILED}. */
@Component
public class CheckCrioRebuilds implements JavaDelegate {
  private final RemoteHosts hosts;
  private final Sites sites;

  public CheckCrioRebuilds(RemoteHosts hosts, Sites sites) {
    this.hosts = hosts;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    String jobId = StartCrioRebuilds.jobId(v, v.integer(StartCrioRebuilds.ATTEMPT, 0));
    boolean running = false;
    List<String> failed = new ArrayList<>();
    // every cRIO looked at at once (an SSH connection each)
    Map<String, String> jobIds = new LinkedHashMap<>();
    SitePlan.crios(site).forEach(h -> jobIds.put(h.name(), jobId));
    for (var e : hosts.detachedStatuses(site.id(), jobIds).entrySet()) {
      DetachedStatus s = e.getValue();
      switch (s.state()) {
        case RUNNING, NOT_STARTED -> running = true;
        case FAILED -> failed.add("- " + e.getKey() + ": exit " + s.exitStatus()
            + (s.logTail() == null ? "" : "\n```\n" + s.logTail().strip() + "\n```"));
        case SUCCEEDED -> { }
      }
    }
    if (running) {
      v.set(CRIOS_DONE, false);
      return;
    }
    if (!failed.isEmpty()) {
      String text = "cRIO rebuild failed on:\n" + String.join("\n", failed);
      v.set(CRIO_FAILURE_TEXT, text);
      throw new BpmnError(BpmnErrors.CRIO_REBUILD_FAILED, text);
    }
    v.set(CRIOS_DONE, true);
  }
}
