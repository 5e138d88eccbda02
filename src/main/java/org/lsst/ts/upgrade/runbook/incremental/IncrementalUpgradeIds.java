package org.lsst.ts.upgrade.runbook.incremental;

import org.lsst.ts.upgrade.runbook.runs.RunProcesses;

/**
 * Ids and variables of {@code incremental-upgrade} ("Deploying an Incremental Upgrade"): only the
 * affected CSCs and the ScriptQueues go OFFLINE, have their Jobs deleted and their apps synced.
 */
public final class IncrementalUpgradeIds {
  private IncrementalUpgradeIds() {}

  public static final String KEY = RunProcesses.INCREMENTAL_UPGRADE;

  public static final String START = "StartEvent_IncrementalUpgradeRequested";
  public static final String PLAN = "ServiceTask_PlanIncrementalUpgrade";
  public static final String SEND_OFFLINE = "CallActivity_SendAffectedCscsOffline";
  public static final String DELETE_JOBS = "ServiceTask_DeleteAffectedJobs";
  public static final String JOBS_LEFT = "BoundaryEvent_JobsLeftOver";
  public static final String REVIEW_JOBS_LEFT = "UserTask_ReviewJobsLeftOver";
  public static final String JOBS_DECISION_GATEWAY = "Gateway_JobsLeftOverDecision";
  public static final String JOBS_JOIN = "Gateway_JobsDeletedJoin";
  public static final String CONFIGURATIONS_UPDATED = "UserTask_ConfigurationsUpdated";
  public static final String SYNC_APPS = "CallActivity_SyncAffectedApps";
  public static final String AWAIT_UP = "CallActivity_AwaitAffectedCscsUp";
  public static final String UP_GATEWAY = "Gateway_AffectedCscsUp";
  public static final String CONTINUE_AFTER_AWAIT = "UserTask_AffectedCscsNotUp";
  public static final String AWAIT_DECISION_GATEWAY = "Gateway_AffectedCscsDecision";
  public static final String UP_JOIN = "Gateway_AffectedCscsUpJoin";
  public static final String WATCHER_GATEWAY = "Gateway_WatcherBack";
  public static final String WATCHER_BACK = "CallActivity_WatcherBack";
  public static final String WATCHER_JOIN = "Gateway_WatcherBackJoin";
  public static final String TEST_STAND_GATEWAY = "Gateway_TestStand";
  public static final String MINIMAL_TESTING = "CallActivity_MinimalTesting";
  public static final String CHECK_TOPICS = "ServiceTask_CheckNewTopics";
  public static final String CYCLE_STATES = "CallActivity_CycleAffectedCscs";
  public static final String CYCLE_GATEWAY = "Gateway_CycleSucceeded";
  public static final String CHECK_NO_FAULT = "CallActivity_AwaitAffectedStandby";
  public static final String NO_FAULT_GATEWAY = "Gateway_AffectedStandbyAgain";
  public static final String TEST_STAND_JOIN = "Gateway_TestStandJoin";
  public static final String END = "EndEvent_IncrementalUpgradeDone";
  public static final String END_ABORTED = "EndEvent_IncrementalUpgradeAborted";
  public static final String END_CSC_FAULTED = "EndEvent_CscFaultedWhileCycling";

  /** BPMN error of a CSC that went to FAULT (or did not follow) while its states were cycled. */
  public static final String CSC_FAULTED = "CSC_FAULTED";

  public static final String MINIMAL_TESTING_FAILED = "BoundaryEvent_MinimalTestingFailed";
  public static final String END_MINIMAL_TESTING_FAILED = "EndEvent_MinimalTestingFailed";
  public static final String ABORTED_SUBPROCESS = "SubProcess_IncrementalUpgradeAborted";
  public static final String ABORTED_START = "StartEvent_IncrementalUpgradeAborted";
  public static final String ANNOUNCE_ABORTED = "ServiceTask_AnnounceAborted";
  public static final String ABORTED_END = "EndEvent_AbortedByOperator";

  // variables
  /** List of {@code namespace/csc-class} whose Jobs are deleted. */
  public static final String JOB_TARGETS = "jobTargets";
  public static final String AFFECTED_APPS = "affectedApps";
  public static final String AFFECTED_EXPECTATIONS = "affectedExpectations";
  public static final String AFFECTED_STANDBY = "affectedStandby";
  public static final String HAS_WATCHER = "hasWatcher";
  public static final String WATCHER_BACK_CONFIG_JSON = "watcherBackConfigJson";
  public static final String TEST_STAND = "testStand";
  public static final String CYCLE_CONFIG_JSON = "cycleConfigJson";
  public static final String TOPICS_TEXT = "topicsText";
  public static final String CONFIGURATIONS_UPDATED_VAR = "configurationsUpdated";
  public static final String FAILURE_TEXT = "failureText";
}
