package org.lsst.ts.upgrade.runbook.incremental;

/** Ids of {@code incremental-upgrade} ({@code processes/incremental-upgrade.bpmn}): Incremental upgrade (Deploying an Incremental Upgrade). */
public final class IncrementalUpgradeIds {
  private IncrementalUpgradeIds() {}

  public static final String KEY = "incremental-upgrade";

  // flow nodes, in the file's order
  public static final String START_INCREMENTAL_UPGRADE_REQUESTED = "StartEvent_IncrementalUpgradeRequested";
  /** Preflight (runbook.preflight): access to every system, then the plan to approve; before anything changes. */
  public static final String CALL_PREFLIGHT = "CallActivity_Preflight";
  public static final String PLAN_INCREMENTAL_UPGRADE = "ServiceTask_PlanIncrementalUpgrade";
  public static final String RECORD_SIBLING_STATES = "ServiceTask_RecordSiblingStates";
  public static final String SEND_AFFECTED_CSCS_OFFLINE = "CallActivity_SendAffectedCscsOffline";
  public static final String DELETE_AFFECTED_JOBS = "CallActivity_DeleteAffectedJobs";
  public static final String CONFIGURATIONS_UPDATED = "UserTask_ConfigurationsUpdated";
  public static final String SYNC_AFFECTED_APPS = "CallActivity_SyncAffectedApps";
  public static final String AWAIT_AFFECTED_CSCS_UP = "CallActivity_AwaitAffectedCscsUp";
  public static final String GATEWAY_WATCHER_BACK = "Gateway_WatcherBack";
  public static final String WATCHER_BACK = "CallActivity_WatcherBack";
  public static final String GATEWAY_WATCHER_BACK_JOIN = "Gateway_WatcherBackJoin";
  public static final String GATEWAY_TEST_STAND = "Gateway_TestStand";
  public static final String MINIMAL_TESTING = "CallActivity_MinimalTesting";
  public static final String BOUNDARY_MINIMAL_TESTING_FAILED = "BoundaryEvent_MinimalTestingFailed";
  public static final String END_MINIMAL_TESTING_FAILED = "EndEvent_MinimalTestingFailed";
  public static final String CHECK_NEW_TOPICS = "ServiceTask_CheckNewTopics";
  public static final String GATEWAY_CYCLE_NEEDED = "Gateway_CycleNeeded";
  public static final String CYCLE_AFFECTED_CSCS = "CallActivity_CycleAffectedCscs";
  public static final String GATEWAY_CYCLE_SUCCEEDED = "Gateway_CycleSucceeded";
  public static final String END_CYCLE_SCRIPT_FAILED = "EndEvent_CycleScriptFailed";
  public static final String AWAIT_AFFECTED_STANDBY = "CallActivity_AwaitAffectedStandby";
  public static final String GATEWAY_AFFECTED_STANDBY_AGAIN = "Gateway_AffectedStandbyAgain";
  public static final String END_CSC_FAULTED_WHILE_CYCLING = "EndEvent_CscFaultedWhileCycling";
  public static final String GATEWAY_CYCLE_JOIN = "Gateway_CycleJoin";
  public static final String GATEWAY_TEST_STAND_JOIN = "Gateway_TestStandJoin";
  public static final String END_INCREMENTAL_UPGRADE_DONE = "EndEvent_IncrementalUpgradeDone";
  public static final String SUBPROCESS_INCREMENTAL_UPGRADE_ABORTED = "SubProcess_IncrementalUpgradeAborted";
  public static final String START_INCREMENTAL_UPGRADE_ABORTED = "StartEvent_IncrementalUpgradeAborted";
  public static final String ANNOUNCE_ABORTED = "ServiceTask_AnnounceAborted";
  public static final String END_ABORTED_BY_OPERATOR = "EndEvent_AbortedByOperator";

  // variables
  /** List of {@code namespace/csc-class} whose Jobs are deleted. */
  public static final String VAR_JOB_TARGETS = "jobTargets";
  public static final String VAR_AFFECTED_APPS = "affectedApps";
  public static final String VAR_AFFECTED_EXPECTATIONS = "affectedExpectations";
  public static final String VAR_AFFECTED_STANDBY = "affectedStandby";
  public static final String VAR_HAS_WATCHER = "hasWatcher";
  /**
   * The siblings: other instances of an affected CSC's csc-class in its namespace, whose Jobs the
   * deletion by {@code csc-class} takes down too; sent OFFLINE with the affected ones, awaited, put back.
   */
  public static final String VAR_SIBLINGS = "siblings";
  public static final String VAR_SIBLINGS_TEXT = "siblingsText";
  /** Each sibling's state before the run ({@code ESS:105=ENABLED}), recorded from the CSC monitor. */
  public static final String VAR_SIBLING_STATES = "siblingStates";
  public static final String VAR_WATCHER_BACK_CONFIG_JSON = "watcherBackConfigJson";
  public static final String VAR_TEST_STAND = "testStand";
  public static final String VAR_CYCLE_CONFIG_JSON = "cycleConfigJson";
  public static final String VAR_TOPICS_TEXT = "topicsText";
  public static final String VAR_CONFIGURATIONS_UPDATED = "configurationsUpdated";
  public static final String VAR_FAILURE_TEXT = "failureText";
}
