package org.lsst.ts.upgrade.runbook.cleanup;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.springframework.stereotype.Component;

/**
 * {@code kubectl delete job -n <namespace> -l csc-class=<csc-class>} for every
 * {@code namespace/csc-class} of {@link IncrementalUpgradeIds#JOB_TARGETS}, verified: Jobs still
 * present raise {@code CLEANUP_INCOMPLETE} for a person to review (retry or continue).
 */
@Component
public class DeleteCscJobs implements JavaDelegate {
  private final ClusterCleanup cleanup;

  public DeleteCscJobs(ClusterCleanup cleanup) {
    this.cleanup = cleanup;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    List<String> remaining = new ArrayList<>();
    for (String target : v.list(IncrementalUpgradeIds.JOB_TARGETS)) {
      int slash = target.indexOf('/');
      if (slash <= 0 || slash == target.length() - 1) {
        throw new IllegalArgumentException(IncrementalUpgradeIds.JOB_TARGETS + ": '" + target
            + "' is not namespace/csc-class");
      }
      CleanupReport r = cleanup.deleteJobsOfClass(v.site(), target.substring(0, slash), target.substring(slash + 1), false);
      remaining.addAll(r.remaining());
    }
    if (!remaining.isEmpty()) {
      String text = "Jobs still present after deleting them by csc-class:\n- " + String.join("\n- ", remaining);
      v.set(CLEANUP_LEFTOVERS_TEXT, text);
      throw new BpmnError(FullUpgradeIds.CLEANUP_INCOMPLETE, text);
    }
  }
}
