package org.lsst.ts.upgrade.runbook.offline;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site.StateRequest;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.stereotype.Component;

/**
 * The seed: "any other CSC that fails to transition to OFFLINE" is added to
 * {@code set_summary_state.py}. The CSCs still alive after the shutdown script ({@code stragglers},
 * the laggards of the first await) are retried by script while the ScriptQueues still run, before
 * anyone is asked; records them in {@code stragglersRetried}.
 */
@Component
@LocalStep
public class PlanStragglerRetry implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    List<StateRequest> data = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String laggard : v.list(STRAGGLERS)) {
      // "ATDome (expected OFFLINE): STANDBY, last heartbeat …"
      int cut = laggard.indexOf(' ');
      CscId id = CscId.parse(cut < 0 ? laggard : laggard.substring(0, cut));
      data.add(new StateRequest(id.toString(), SummaryState.OFFLINE.name()));
      ids.add(id.toString());
    }
    v.set(STRAGGLERS_RETRIED, ids);
    v.set(STRAGGLER_SCRIPT_CONFIG_JSON, ScriptConfigs.toJson(ScriptConfigs.setSummaryState(data, false)));
  }
}
