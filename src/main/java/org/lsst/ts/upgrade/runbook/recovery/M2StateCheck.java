package org.lsst.ts.upgrade.runbook.recovery;

import java.util.List;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.monitor.CheckCscStates;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.stereotype.Component;

/**
 * MTM2 must be ENABLED before the Hexrot VM (M2's EUI) is rebooted, or M2 leaves closed loop. The
 * state is on the site's Kafka, so the task does not take a person's word for it: its form shows
 * MTM2's live state when the task opens ({@code create} listener, {@link #show}) and the task
 * cannot be completed unless the CSC monitor sees MTM2 ENABLED at that moment ({@code complete}
 * listener, {@link #require}); the refusal leaves the task open with the state it saw.
 */
@Component
public class M2StateCheck {
  public static final CscId MTM2 = CscId.of("MTM2");
  /** The text the form shows: MTM2's effective state, as the monitor sees it. */
  public static final String VAR_M2_STATE_TEXT = "m2StateText";

  private final CscStates states;

  public M2StateCheck(CscStates states) {
    this.states = states;
  }

  public void show(DelegateTask task) {
    RunVariables.of(task).setLocal(VAR_M2_STATE_TEXT, "MTM2 now: " + describe(RunVariables.of(task).site()));
  }

  public void require(DelegateTask task) {
    String site = RunVariables.of(task).site();
    CscStatus s = status(site);
    if (s == null || s.effectiveState() != SummaryState.ENABLED) {
      throw new ProcessEngineException("'" + task.getName() + "' cannot be completed: MTM2 is not ENABLED on the site's"
          + " Kafka (" + describe(site) + "). Enable MTM2 first, and only then reboot the Hexrot VM.");
    }
  }

  private CscStatus status(String site) {
    if (!states.historyRead(site)) {
      return null;
    }
    List<CscStatus> now = states.statusOf(site, List.of(MTM2));
    return now.isEmpty() ? null : now.get(0);
  }

  private String describe(String site) {
    if (!states.historyRead(site)) {
      return "not known yet (the CSC monitor is still reading the site's Kafka)";
    }
    CscStatus s = status(site);
    return (s == null ? SummaryState.UNKNOWN : s.effectiveState()) + " (" + CheckCscStates.describe(s) + ")";
  }
}
