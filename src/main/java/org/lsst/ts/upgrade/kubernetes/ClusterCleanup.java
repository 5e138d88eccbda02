package org.lsst.ts.upgrade.kubernetes;

import java.util.List;

/**
 * Kubernetes clean-up of a site (fabric8). Each operation deletes with propagation to pods, then
 * lists once what it targeted that is still there (never waits: a run looks again from a timer with
 * {@link #stillPresent} until nothing is left or its deadline passes); running it twice is harmless.
 * With {@code dryRun} it only lists what it would delete.
 */
public interface ClusterCleanup {

  /**
   * Loads what the first call of a fresh JVM would (the client and the model types it reads and
   * writes), without a call to any cluster: after a start, the first run's preflight and plan do not
   * pay for it (about a second on a 2-core machine).
   */
  default void warmUp() {}

  /** The {@code cleanup_all} equivalent: CSC Jobs of every CSC namespace; love Deployments/Jobs/HPAs; selected uws Jobs. */
  CleanupReport cleanupAll(String site, boolean dryRun);

  /** {@code kubectl delete job -n <namespace> -l csc-class=<cscClass>}, verified. */
  CleanupReport deleteJobsOfClass(String site, String namespace, String cscClass, boolean dryRun);

  /** Deletes the Nublado user namespaces (the site's nublado-users selector), verified. */
  CleanupReport cleanupNublado(String site, boolean dryRun);

  /**
   * One listing of the cluster: which of {@code objects} (keys as in {@link CleanupReport#remaining()})
   * are still present. Bounded like every call; waits for nothing.
   */
  List<String> stillPresent(String site, List<String> objects);

  /**
   * The preflight's check of the cluster (reads only): which of the given namespaces do not exist,
   * and which deletions a clean-up needs the cluster refuses ({@code SelfSubjectAccessReview} for
   * {@code delete} on Jobs and Pods in each namespace, Deployments and HorizontalPodAutoscalers in
   * the LOVE namespace, and Namespaces when {@code namespacesToo}). Each problem names the cluster,
   * the namespace and what to do. A cluster that cannot be reached at all is a
   * {@link ClusterCleanupException}.
   */
  default List<String> accessProblems(String site, java.util.Collection<String> namespaces, boolean namespacesToo) {
    return List.of();
  }

  /**
   * Objects are named {@code Kind/namespace/name} ({@code Namespace/name} for namespaces).
   *
   * @param deleted resources deleted by this call ({@code kind/namespace/name}); in a dry run, those
   *     it would delete
   * @param alreadyGone targeted resources that were already gone: those that vanished between the
   *     listing and the deletion, and the CSC Jobs the site inventory expects that were absent (a
   *     second run reports here what the first deleted; also in a dry run)
   * @param remaining resources still present right after the deletions (the deleted Jobs' pods as
   *     {@code Pod/namespace/name}); empty when verified at once
   */
  record CleanupReport(List<String> deleted, List<String> alreadyGone, List<String> remaining, boolean dryRun) {
    public boolean verified() {
      return remaining.isEmpty();
    }
  }
}
