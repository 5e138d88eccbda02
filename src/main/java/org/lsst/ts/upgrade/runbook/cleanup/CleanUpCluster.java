package org.lsst.ts.upgrade.runbook.cleanup;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.runbook.BpmnErrors;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.springframework.stereotype.Component;

/**
 * The step of {@code clean-up-cluster}, for its input {@code cleanupTarget}: {@code ALL}
 * ({@code cleanup_all}), {@code NUBLADO} ({@code cleanup_nublado}) or {@code JOBS}
 * ({@code kubectl delete job -n <namespace> -l csc-class=<csc-class>} for every
 * {@code namespace/csc-class} of {@link IncrementalUpgradeIds#JOB_TARGETS}). Verified: anything left at
 * the capability's deadline is the BPMN error {@code CLEANUP_INCOMPLETE} that a person reviews.
 */
@Component
public class CleanUpCluster implements JavaDelegate {
  public enum Target { ALL, NUBLADO, JOBS }

  private final ClusterCleanup cleanup;

  public CleanUpCluster(ClusterCleanup cleanup) {
    this.cleanup = cleanup;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Target target = Target.valueOf(v.string(CLEANUP_TARGET));
    List<String> remaining = switch (target) {
      case ALL -> cleanup.cleanupAll(v.site(), false).remaining();
      case NUBLADO -> cleanup.cleanupNublado(v.site(), false).remaining();
      case JOBS -> deleteJobs(v);
    };
    if (!remaining.isEmpty()) {
      String what = switch (target) {
        case ALL -> "cleanup_all";
        case NUBLADO -> "cleanup_nublado";
        case JOBS -> "deleting the Jobs by csc-class";
      };
      String text = "Still present after " + what + ":\n- " + String.join("\n- ", remaining);
      v.set(CLEANUP_LEFTOVERS_TEXT, text);
      throw new BpmnError(BpmnErrors.CLEANUP_INCOMPLETE, text);
    }
  }

  private List<String> deleteJobs(RunVariables v) {
    List<String> remaining = new ArrayList<>();
    for (String target : v.list(IncrementalUpgradeIds.VAR_JOB_TARGETS)) {
      int slash = target.indexOf('/');
      if (slash <= 0 || slash == target.length() - 1) {
        throw new IllegalArgumentException(IncrementalUpgradeIds.VAR_JOB_TARGETS + ": '" + target
            + "' is not namespace/csc-class");
      }
      CleanupReport r = cleanup.deleteJobsOfClass(v.site(), target.substring(0, slash), target.substring(slash + 1), false);
      remaining.addAll(r.remaining());
    }
    return remaining;
  }
}
