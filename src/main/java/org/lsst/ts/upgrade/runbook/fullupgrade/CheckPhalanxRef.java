package org.lsst.ts.upgrade.runbook.fullupgrade;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * A machine check instead of a click: Argo CD's repo server resolves the run's Phalanx ref in the
 * Phalanx repository ({@code GET /api/v1/repositories/{repo}/revisions/{ref}/metadata}), before the
 * operator is asked to confirm the PR is merged; the form shows what it resolved to. A ref that does
 * not exist is an incident naming it (fix the ref or push the branch, then retry in Cockpit): nothing
 * has been deployed yet.
 */
@Component
public class CheckPhalanxRef implements JavaDelegate {
  /** The repository Argo CD syncs the sites' apps from. */
  public static final String PHALANX_REPO = "https://github.com/lsst-sqre/phalanx.git";

  private final ArgoCd argo;

  public CheckPhalanxRef(ArgoCd argo) {
    this.argo = argo;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String ref = v.string(PHALANX_REF);
    ArgoCd.Revision r = argo.revision(v.site(), PHALANX_REPO, ref).orElseThrow(() -> new IllegalStateException(
        "Phalanx ref '" + ref + "' does not exist in " + PHALANX_REPO + " (Argo CD of " + v.site()
            + " cannot resolve it): correct the run's phalanxRef or push the branch, then retry this step"));
    v.set(PHALANX_REF_TEXT, "`" + ref + "` resolves (Argo CD): " + (r.message() == null ? "" : r.message().lines()
        .findFirst().orElse("")) + " — " + (r.author() == null ? "?" : r.author()) + ", " + (r.date() == null ? "?" : r.date()));
  }
}
