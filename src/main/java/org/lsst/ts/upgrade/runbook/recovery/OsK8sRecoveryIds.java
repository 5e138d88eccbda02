package org.lsst.ts.upgrade.runbook.recovery;

import org.lsst.ts.upgrade.runbook.runs.RunProcesses;

/** Ids and variables of {@code os-k8s-recovery} ("Recovering the Control System after an OS/K8s upgrade"). */
public final class OsK8sRecoveryIds {
  private OsK8sRecoveryIds() {}

  public static final String KEY = RunProcesses.OS_K8S_RECOVERY;

  public static final String START = "StartEvent_RecoveryRequested";
  public static final String PLAN = "ServiceTask_PlanRecovery";
  public static final String CLEANUP_KUBERNETES = "ServiceTask_CleanupJobsLeftRunning";
  public static final String KUBERNETES_LEFTOVERS = "BoundaryEvent_RecoveryLeftovers";
  public static final String REVIEW_LEFTOVERS = "UserTask_ReviewRecoveryLeftovers";
  public static final String LEFTOVERS_DECISION_GATEWAY = "Gateway_RecoveryLeftoversDecision";
  public static final String CLEANUP_JOIN = "Gateway_RecoveryCleanupJoin";
  public static final String SYNC_PLATFORM_APPS = "CallActivity_SyncPlatformApps";
  public static final String SYNC_TELESCOPE_APPS = "CallActivity_SyncTelescopeApps";
  public static final String SUMMIT_GATEWAY = "Gateway_SummitHosts";
  public static final String START_CRIOS = "ServiceTask_StartCrioServices";
  public static final String RESTART_AZAR03 = "ServiceTask_RestartHostCscs";
  public static final String REBOOT_AZAR02 = "ServiceTask_RebootHost";
  public static final String CHECK_HOST_BACK = "ServiceTask_CheckHostBack";
  public static final String HOST_BACK_GATEWAY = "Gateway_HostBack";
  public static final String HOST_BACK_TIMER = "Timer_HostBackPoll";
  public static final String HOST_NOT_BACK = "UserTask_HostNotBack";
  public static final String HOST_DECISION_GATEWAY = "Gateway_HostNotBackDecision";
  public static final String HOST_BACK_JOIN = "Gateway_HostBackJoin";
  public static final String CONFIRM_M2_BEFORE_HEXROT = "UserTask_M2EnabledBeforeHexrotReboot";
  public static final String SUMMIT_JOIN = "Gateway_SummitHostsJoin";
  public static final String AWAIT_CSCS_UP = "CallActivity_AwaitCscsUp";
  public static final String ALL_UP_GATEWAY = "Gateway_AllCscsUp";
  public static final String CONTINUE_AFTER_MONITOR = "UserTask_ContinueAfterMonitor";
  public static final String MONITOR_DECISION_GATEWAY = "Gateway_MonitorDecision";
  public static final String MONITOR_JOIN = "Gateway_MonitorJoin";
  public static final String TEST_STAND_GATEWAY = "Gateway_TestStand";
  public static final String MINIMAL_TESTING = "CallActivity_MinimalTesting";
  public static final String TEST_STAND_JOIN = "Gateway_TestStandJoin";
  public static final String END = "EndEvent_RecoveryDone";
  public static final String END_ABORTED = "EndEvent_RecoveryAborted";

  public static final String MINIMAL_TESTING_FAILED = "BoundaryEvent_MinimalTestingFailed";
  public static final String END_MINIMAL_TESTING_FAILED = "EndEvent_MinimalTestingFailed";
  public static final String ABORTED_SUBPROCESS = "SubProcess_RecoveryAborted";
  public static final String ABORTED_START = "StartEvent_RecoveryAborted";
  public static final String ANNOUNCE_ABORTED = "ServiceTask_AnnounceAborted";
  public static final String ABORTED_END = "EndEvent_AbortedByOperator";

  // variables
  public static final String SUMMIT_RECOVERY = "summitRecovery";
  public static final String RESTART_HOST = "restartHostName";
  public static final String REBOOT_HOST = "rebootHostName";
  public static final String HOST_BACK = "hostBack";
  public static final String HOST_BACK_TIMED_OUT = "hostBackTimedOut";
  public static final String HOST_BACK_DEADLINE = "hostBackDeadline";
  /** ISO-8601 duration the rebooted host has to come back; default {@link #DEFAULT_HOST_BACK_TIMEOUT}. */
  public static final String HOST_BACK_TIMEOUT = "hostBackTimeout";
  public static final String DEFAULT_HOST_BACK_TIMEOUT = "PT20M";
  public static final String HOST_DECISION = "hostDecision";
  public static final String M2_ENABLED = "m2Enabled";
  /** The boot id the rebooted host had before the reboot (back = answers with another one). */
  public static final String REBOOT_BOOT_ID = "rebootHostBootId";
  /** What the host steps did, for the history: host, each command's exit status, first lines of output. */
  public static final String RESTART_HOST_RESULT = "restartHostResult";
  public static final String REBOOT_HOST_RESULT = "rebootHostResult";
  /** The Summit hosts of the recovery (seed: CSCs on azar03 restarted, azar02 rebooted). */
  public static final String AZAR03 = "azar03";
  public static final String AZAR02 = "azar02";
}
