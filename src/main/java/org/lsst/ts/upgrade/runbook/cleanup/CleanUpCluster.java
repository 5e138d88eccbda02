package org.lsst.ts.upgrade.runbook.cleanup;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.springframework.stereotype.Component;

/**
 * {@code cleanup_all} or {@code cleanup_nublado} (local input {@code cleanupTarget}: ALL or
 * NUBLADO), verified: anything left at the capability's deadline is a BPMN error
 * {@code CLEANUP_INCOMPLETE} that a person reviews.
 */
@Component
public class CleanUpCluster implements JavaDelegate {
  private final ClusterCleanup cleanup;

  public CleanUpCluster(ClusterCleanup cleanup) {
    this.cleanup = cleanup;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String target = v.string(CLEANUP_TARGET);
    CleanupReport report = "NUBLADO".equals(target) ? cleanup.cleanupNublado(v.site(), false)
        : cleanup.cleanupAll(v.site(), false);
    if (!report.verified()) {
      String text = "Still present after " + ("NUBLADO".equals(target) ? "cleanup_nublado" : "cleanup_all") + ":\n- "
          + String.join("\n- ", report.remaining());
      v.set(CLEANUP_LEFTOVERS_TEXT, text);
      throw new BpmnError(FullUpgradeIds.CLEANUP_INCOMPLETE, text);
    }
  }
}
