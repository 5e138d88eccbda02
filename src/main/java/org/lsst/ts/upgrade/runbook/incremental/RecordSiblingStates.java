package org.lsst.ts.upgrade.runbook.incremental;

import static org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site.StateRequest;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.stereotype.Component;

/**
 * Before anything is sent OFFLINE: records the state of each sibling (same csc-class as an affected
 * CSC, so its Job is deleted too) from the CSC monitor, and writes the script that puts them back
 * with the Watcher at the end ({@code watcherBackConfigJson}: the siblings in their recorded states,
 * then the Watcher ENABLED). A sibling whose state is not known (the monitor has not read the
 * history yet) is an error: the step is retried, nothing has been changed yet.
 */
@Component
public class RecordSiblingStates implements JavaDelegate {
  private final CscStates states;
  private final Sites sites;

  public RecordSiblingStates(CscStates states, Sites sites) {
    this.states = states;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    List<CscId> siblings = v.list(VAR_SIBLINGS).stream().map(CscId::parse).toList();
    List<String> recorded = new ArrayList<>();
    List<StateRequest> back = new ArrayList<>();
    if (!siblings.isEmpty()) {
      if (!states.historyRead(v.site())) {
        throw new IllegalStateException("the CSC monitor has not read " + v.site()
            + "'s states yet: the siblings' states cannot be recorded");
      }
      for (CscStatus s : states.statusOf(v.site(), siblings)) {
        SummaryState state = s.effectiveState();
        if (state == null || state == SummaryState.UNKNOWN) {
          throw new IllegalStateException("the state of sibling " + s.id() + " is not known");
        }
        recorded.add(s.id() + "=" + state.name());
        // they come back in STANDBY after the sync: only other states need a script
        if (state != SummaryState.STANDBY && state != SummaryState.FAULT) {
          back.add(new StateRequest(s.id().toString(), state.name()));
        }
      }
    }
    boolean watcher = SitePlan.hasWatcher(sites.require(v.site()));
    if (watcher) {
      back.add(new StateRequest(SitePlan.WATCHER, SummaryState.ENABLED.name()));
    }
    v.set(VAR_SIBLING_STATES, recorded);
    v.set(VAR_HAS_WATCHER, !back.isEmpty());
    v.set(VAR_WATCHER_BACK_CONFIG_JSON, back.isEmpty() ? null
        : ScriptConfigs.toJson(ScriptConfigs.setSummaryState(back, null)));
  }
}
