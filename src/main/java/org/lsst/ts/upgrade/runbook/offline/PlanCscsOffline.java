package org.lsst.ts.upgrade.runbook.offline;

import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Csc;
import org.lsst.ts.upgrade.site.Site.StateRequest;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Plans {@code send-cscs-offline}. Without {@code offlineTargets}: {@code system_wide_shutdown.py}
 * with the Watcher in {@code start_with} and the held CSCs ignored; every other CSC is expected
 * OFFLINE. With targets (incremental upgrade): {@code set_summary_state.py} with the Watcher first,
 * then the targets. Either way the other ScriptQueues follow (highest index first) and the queue
 * that runs the scripts goes last, by direct commands.
 */
@Component
@LocalStep
public class PlanCscsOffline implements JavaDelegate {
  private final Sites sites;

  public PlanCscsOffline(Sites sites) {
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    int queue = v.integer(SCRIPT_QUEUE, 1);
    CscId runningQueue = CscId.of(SitePlan.SCRIPT_QUEUE, queue);
    List<CscId> queues = SitePlan.scriptQueues(site);
    boolean watcher = SitePlan.hasWatcher(site);
    // offlineTargets, or the run's cscs (incremental upgrade); none: every CSC
    List<String> targets = v.has(OFFLINE_TARGETS) ? v.list(OFFLINE_TARGETS) : v.list(CSCS);
    Set<CscId> expectOffline = new LinkedHashSet<>();
    if (targets.isEmpty()) {
      List<CscId> ignore = SitePlan.held(site).stream().map(Csc::id).toList();
      String reason = v.stringOr(CYCLE, "Upgrade") + " (run " + v.runId() + ")";
      v.set(SHUTDOWN_SCRIPT_PATH, ScriptConfigs.SYSTEM_WIDE_SHUTDOWN);
      v.set(SHUTDOWN_SCRIPT_CONFIG_JSON, ScriptConfigs.toJson(ScriptConfigs.systemWideShutdown(
          v.stringOr(STARTED_BY, "upgrade-orchestrator"), reason,
          watcher ? List.of(CscId.of(SitePlan.WATCHER)) : List.of(), ignore)));
      site.cscs().stream().filter(c -> c.holdState() == null).forEach(c -> expectOffline.add(c.id()));
    } else {
      List<StateRequest> data = new ArrayList<>();
      if (watcher) {
        data.add(new StateRequest(SitePlan.WATCHER, SummaryState.OFFLINE.name()));
        expectOffline.add(CscId.of(SitePlan.WATCHER));
      }
      for (String t : targets) {
        CscId id = CscId.parse(t);
        if (id.component().equals(SitePlan.SCRIPT_QUEUE) || id.component().equals(SitePlan.WATCHER)) {
          continue; // the queues are handled last, the Watcher first
        }
        data.add(new StateRequest(id.toString(), SummaryState.OFFLINE.name()));
        expectOffline.add(id);
      }
      v.set(SHUTDOWN_SCRIPT_PATH, ScriptConfigs.SET_SUMMARY_STATE);
      v.set(SHUTDOWN_SCRIPT_CONFIG_JSON, ScriptConfigs.toJson(ScriptConfigs.setSummaryState(data, false)));
    }
    List<StateRequest> otherQueues = queues.stream().filter(q -> !q.equals(runningQueue))
        .sorted(Comparator.comparing(CscId::salIndex).reversed())
        .map(q -> new StateRequest(q.toString(), SummaryState.OFFLINE.name())).toList();
    v.set(QUEUES_SCRIPT_CONFIG_JSON, otherQueues.isEmpty() ? null
        : ScriptConfigs.toJson(ScriptConfigs.setSummaryState(otherQueues, false)));
    v.set(TARGETS_OFFLINE_EXPECTATIONS, expectOffline.stream().filter(id -> !queues.contains(id))
        .map(id -> id + "=" + SummaryState.OFFLINE.name()).toList());
    expectOffline.addAll(queues);
    v.set(OFFLINE_EXPECTATIONS, expectOffline.stream().map(id -> id + "=" + SummaryState.OFFLINE.name()).toList());
  }
}
