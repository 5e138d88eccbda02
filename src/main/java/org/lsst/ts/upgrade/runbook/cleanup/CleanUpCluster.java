package org.lsst.ts.upgrade.runbook.cleanup;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.kubernetes.KubernetesProperties;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.springframework.stereotype.Component;

/**
 * The step of {@code clean-up-cluster}, for its input {@code cleanupTarget}: {@code ALL}
 * ({@code cleanup_all}), {@code NUBLADO} ({@code cleanup_nublado}) or {@code JOBS}
 * ({@code kubectl delete job -n <namespace> -l csc-class=<csc-class>} for every
 * {@code namespace/csc-class} of {@link IncrementalUpgradeIds#JOB_TARGETS}). It deletes and lists once
 * what is left; the process's timer loop ({@link CheckCleanup}) looks again until nothing is left or
 * {@code upgrade.kubernetes.verification-deadline} has passed, so no job thread waits for the cluster.
 */
@Component
public class CleanUpCluster implements JavaDelegate {
  public enum Target { ALL, NUBLADO, JOBS }

  private final ClusterCleanup cleanup;
  private final KubernetesProperties properties;

  public CleanUpCluster(ClusterCleanup cleanup, KubernetesProperties properties) {
    this.cleanup = cleanup;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    v.set(CleanUpClusterIds.VAR_CLEANUP_STARTED_AT, ClockUtil.getCurrentTime());
    Target target = Target.valueOf(v.string(CLEANUP_TARGET));
    List<String> remaining = switch (target) {
      case ALL -> cleanup.cleanupAll(v.site(), false).remaining();
      case NUBLADO -> cleanup.cleanupNublado(v.site(), false).remaining();
      case JOBS -> deleteJobs(v);
    };
    v.set(CleanUpClusterIds.VAR_CLEANUP_REMAINING, remaining);
    v.set(CleanUpClusterIds.VAR_CLEANUP_VERIFIED, remaining.isEmpty());
    v.set(CleanUpClusterIds.VAR_CLEANUP_DEADLINE,
        new Date(ClockUtil.getCurrentTime().getTime() + properties.verificationDeadline().toMillis()));
  }

  /** What the step's error and the person's review say about the targets still there at the deadline. */
  static String leftoversText(Target target, List<String> remaining) {
    String what = switch (target) {
      case ALL -> "cleanup_all";
      case NUBLADO -> "cleanup_nublado";
      case JOBS -> "deleting the Jobs by csc-class";
    };
    return "Still present after " + what + ":\n- " + String.join("\n- ", remaining);
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
