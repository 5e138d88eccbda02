package org.lsst.ts.upgrade.runbook.offline;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.love.Love;
import org.springframework.stereotype.Component;

/**
 * The queue-less final step: the ScriptQueue that ran the scripts cannot run the script that stops
 * itself to completion, so it is walked to OFFLINE with direct SAL commands through LOVE
 * ({@code cmd_disable}, {@code cmd_standby}, {@code cmd_exitControl}), starting from its current
 * state so a retry only sends what is still needed.
 */
@Component
public class ExitRunningQueue implements JavaDelegate {
  private final Love love;
  private final CscStates states;

  public ExitRunningQueue(Love love, CscStates states) {
    this.love = love;
    this.states = states;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    CscId queue = CscId.of(SitePlan.SCRIPT_QUEUE, v.integer(SCRIPT_QUEUE, 1));
    var status = states.statusOf(v.site(), List.of(queue)).stream().findFirst().orElse(null);
    SummaryState state = status == null ? SummaryState.UNKNOWN : status.effectiveState();
    for (String cmd : commandsFrom(state)) {
      love.command(v.site(), queue, cmd, Map.of());
    }
  }

  static List<String> commandsFrom(SummaryState state) {
    return switch (state) {
      case ENABLED -> List.of("cmd_disable", "cmd_standby", "cmd_exitControl");
      case DISABLED, FAULT -> List.of("cmd_standby", "cmd_exitControl");
      case STANDBY -> List.of("cmd_exitControl");
      // UNKNOWN: not heard yet; the full walk is the safe guess (a refused command is retried from the new state)
      case UNKNOWN -> List.of("cmd_disable", "cmd_standby", "cmd_exitControl");
      case OFFLINE -> List.of();
    };
  }
}
