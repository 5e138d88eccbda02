package org.lsst.ts.upgrade.runbook.fullupgrade;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.monitor.CheckCscStates;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Csc;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/** Checks from the live effective states that every held CSC is in its hold state. */
@Component
public class CheckHeldStates implements JavaDelegate {
  private final CscStates states;
  private final Sites sites;

  public CheckHeldStates(CscStates states, Sites sites) {
    this.states = states;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    List<Csc> held = SitePlan.held(site);
    if (held.isEmpty()) {
      v.set(HELD_STATES_KNOWN, true).set(HELD_STATES_OK, true).set(HELD_STATES_TEXT, "No CSC is held at this site.");
      return;
    }
    if (!states.historyRead(site.id())) {
      v.set(HELD_STATES_KNOWN, false).set(HELD_STATES_OK, false)
          .set(HELD_STATES_TEXT, "The CSC states are not known yet (the monitor is still reading the history).");
      return;
    }
    List<CscStatus> now = states.statusOf(site.id(), held.stream().map(Csc::id).toList());
    List<String> wrong = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (Csc c : held) {
      CscStatus s = now.stream().filter(x -> x.id().equals(c.id())).findFirst().orElse(null);
      String line = c.id() + " must be " + c.holdState() + ": " + CheckCscStates.describe(s);
      lines.add("- " + line);
      if (s == null || s.effectiveState() != c.holdState()) {
        wrong.add(line);
      }
    }
    v.set(HELD_STATES_KNOWN, true).set(HELD_STATES_OK, wrong.isEmpty()).set(HELD_STATES_TEXT, String.join("\n", lines));
  }
}
