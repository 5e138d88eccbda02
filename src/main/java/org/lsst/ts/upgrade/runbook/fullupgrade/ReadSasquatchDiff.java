package org.lsst.ts.upgrade.runbook.fullupgrade;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * The sasquatch task shows what a sync would change (Argo CD's managed-resources diff) instead of
 * sending the person to look: each resource that differs, with its live and target state.
 */
@Component
public class ReadSasquatchDiff implements JavaDelegate {
  private static final int MAX_STATE = 600;

  private final ArgoCd argo;

  public ReadSasquatchDiff(ArgoCd argo) {
    this.argo = argo;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String app = v.string(SASQUATCH_APP);
    List<ArgoCd.ResourceDiff> diffs = argo.pendingChanges(v.site(), app);
    v.set(SASQUATCH_DIFF_TEXT, text(app, diffs));
  }

  static String text(String app, List<ArgoCd.ResourceDiff> diffs) {
    if (diffs.isEmpty()) {
      return "Argo CD shows no pending change of `" + app + "`.";
    }
    StringBuilder s = new StringBuilder("Argo CD: a sync of `" + app + "` would change " + diffs.size() + " resource(s):");
    for (ArgoCd.ResourceDiff d : diffs) {
      s.append("\n\n**").append(d.kind()).append(' ').append(d.namespace() == null ? "" : d.namespace() + "/")
          .append(d.name()).append("**\n\n```\n- live:   ").append(cut(d.liveState())).append("\n+ target: ")
          .append(cut(d.targetState())).append("\n```");
    }
    return s.toString();
  }

  private static String cut(String state) {
    if (state == null) {
      return "(none)";
    }
    return state.length() <= MAX_STATE ? state : state.substring(0, MAX_STATE) + " …";
  }
}
