package org.lsst.ts.upgrade.runbook.cleanup;

/** Ids of {@code clean-up-cluster} ({@code processes/clean-up-cluster.bpmn}): Clean up the cluster (verified). */
public final class CleanUpClusterIds {
  private CleanUpClusterIds() {}

  public static final String KEY = "clean-up-cluster";

  // flow nodes, in the file's order
  public static final String START_CLEAN_UP_CLUSTER = "StartEvent_CleanUpCluster";
  public static final String CLEAN_UP_CLUSTER = "ServiceTask_CleanUpCluster";
  public static final String CHECK_CLEANUP = "ServiceTask_CheckCleanup";
  public static final String BOUNDARY_LEFT_OVER = "BoundaryEvent_LeftOver";
  public static final String GATEWAY_CLEANUP_VERIFIED = "Gateway_CleanupVerified";
  public static final String TIMER_CLEANUP_RECHECK = "Timer_CleanupRecheck";
  public static final String END_CLUSTER_CLEANED_UP = "EndEvent_ClusterCleanedUp";
  public static final String REVIEW_LEFTOVERS = "UserTask_ReviewLeftovers";
  public static final String GATEWAY_LEFTOVERS_DECISION = "Gateway_LeftoversDecision";
  public static final String END_LEFTOVERS_ACCEPTED = "EndEvent_LeftoversAccepted";

  // variables of the called process (local to it)
  /** What was still present at the last look ({@code Kind/namespace/name}). */
  public static final String VAR_CLEANUP_REMAINING = "cleanupRemaining";
  public static final String VAR_CLEANUP_VERIFIED = "cleanupVerified";
  /** When the timer loop stops looking and asks a person ({@code upgrade.kubernetes.verification-deadline}). */
  public static final String VAR_CLEANUP_DEADLINE = "cleanupDeadline";
  /** When the clean-up was asked for: the verification's looks back off from it ({@code polls}). */
  public static final String VAR_CLEANUP_STARTED_AT = "cleanupStartedAt";
}
