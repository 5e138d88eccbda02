package org.lsst.ts.upgrade.runbook.recovery;

/** Ids of {@code os-k8s-recovery} ({@code processes/os-k8s-recovery.bpmn}): Recovery after an OS/K8s upgrade. */
public final class OsK8sRecoveryIds {
  private OsK8sRecoveryIds() {}

  public static final String KEY = "os-k8s-recovery";

  // flow nodes, in the file's order
  public static final String START_RECOVERY_REQUESTED = "StartEvent_RecoveryRequested";
  /** Preflight (runbook.preflight): access to every system, then the plan to approve; before anything changes. */
  public static final String CALL_PREFLIGHT = "CallActivity_Preflight";
  public static final String PLAN_RECOVERY = "ServiceTask_PlanRecovery";
  public static final String CLEANUP_JOBS_LEFT_RUNNING = "CallActivity_CleanupJobsLeftRunning";
  public static final String SYNC_PLATFORM_APPS = "CallActivity_SyncPlatformApps";
  public static final String SYNC_TELESCOPE_APPS = "CallActivity_SyncTelescopeApps";
  public static final String GATEWAY_SUMMIT_HOSTS = "Gateway_SummitHosts";
  public static final String RECOVER_SUMMIT_HOSTS = "CallActivity_RecoverSummitHosts";
  public static final String GATEWAY_SUMMIT_HOSTS_JOIN = "Gateway_SummitHostsJoin";
  public static final String AWAIT_CSCS_UP = "CallActivity_AwaitCscsUp";
  public static final String RESTORE_AND_ENABLE = "CallActivity_RestoreAndEnable";
  public static final String AWAIT_RESTORED = "CallActivity_AwaitRestored";
  public static final String GATEWAY_ALL_RESTORED = "Gateway_AllRestored";
  public static final String REPORT_NOT_RESTORED = "ServiceTask_ReportNotRestored";
  public static final String GATEWAY_ALL_RESTORED_JOIN = "Gateway_AllRestoredJoin";
  public static final String GATEWAY_TEST_STAND = "Gateway_TestStand";
  public static final String MINIMAL_TESTING = "CallActivity_MinimalTesting";
  public static final String BOUNDARY_MINIMAL_TESTING_FAILED = "BoundaryEvent_MinimalTestingFailed";
  public static final String END_MINIMAL_TESTING_FAILED = "EndEvent_MinimalTestingFailed";
  public static final String GATEWAY_TEST_STAND_JOIN = "Gateway_TestStandJoin";
  public static final String END_RECOVERY_DONE = "EndEvent_RecoveryDone";
  public static final String SUBPROCESS_RECOVERY_ABORTED = "SubProcess_RecoveryAborted";
  public static final String START_RECOVERY_ABORTED = "StartEvent_RecoveryAborted";
  public static final String ANNOUNCE_ABORTED = "ServiceTask_AnnounceAborted";
  public static final String END_ABORTED_BY_OPERATOR = "EndEvent_AbortedByOperator";

  // variables
  /** The run recovers the Summit's hosts too (recover-summit-hosts). */
  public static final String VAR_SUMMIT_RECOVERY = "summitRecovery";
}
