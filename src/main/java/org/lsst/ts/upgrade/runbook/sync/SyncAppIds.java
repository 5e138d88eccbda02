package org.lsst.ts.upgrade.runbook.sync;

/** Ids of {@code sync-app} ({@code processes/sync-app.bpmn}): Sync an Argo CD app. */
public final class SyncAppIds {
  private SyncAppIds() {}

  public static final String KEY = "sync-app";

  // flow nodes, in the file's order
  public static final String START_SYNC_APP = "StartEvent_SyncApp";
  public static final String START_APP_SYNC = "ServiceTask_StartAppSync";
  public static final String CHECK_APP_SYNC = "ServiceTask_CheckAppSync";
  public static final String BOUNDARY_APP_SYNC_FAILED = "BoundaryEvent_AppSyncFailed";
  public static final String GATEWAY_APP_SYNCED = "Gateway_AppSynced";
  public static final String END_APP_SYNCED = "EndEvent_AppSynced";
  public static final String TIMER_APP_SYNC_POLL = "Timer_AppSyncPoll";
  public static final String HANDLE_SYNC_FAILURE = "UserTask_HandleSyncFailure";
  public static final String GATEWAY_SYNC_DECISION = "Gateway_SyncDecision";
  public static final String ANNOUNCE_SYNC_SKIPPED = "ServiceTask_AnnounceSyncSkipped";
  public static final String END_APP_SYNC_SKIPPED = "EndEvent_AppSyncSkipped";
  public static final String END_APP_SYNC_ABORTED = "EndEvent_AppSyncAborted";
  public static final String SUB_PROCESS_SYNC_OVERDUE = "SubProcess_SyncOverdue";
  public static final String START_SYNC_OVERDUE = "StartEvent_SyncOverdue";
  public static final String DESCRIBE_SLOW_SYNC = "ServiceTask_DescribeSlowSync";
  public static final String GATEWAY_STILL_SYNCING = "Gateway_StillSyncing";
  public static final String SYNC_OVERDUE = "UserTask_SyncOverdue";
  public static final String BOUNDARY_SYNC_FAILURE_OPENED = "BoundaryEvent_SyncFailureOpened";
  public static final String GATEWAY_STOP_WAITING = "Gateway_StopWaiting";
  public static final String REQUEST_SYNC_STOP = "ServiceTask_RequestSyncStop";
  public static final String END_SYNC_STOP_REQUESTED = "EndEvent_SyncStopRequested";
  public static final String END_KEEP_WAITING_FOR_SYNC = "EndEvent_KeepWaitingForSync";
  public static final String END_FAILURE_ASKED_ALREADY = "EndEvent_FailureAskedAlready";
  public static final String END_SYNC_OVERDUE_WITHDRAWN = "EndEvent_SyncOverdueWithdrawn";

  // variables
  /**
   * True while the sync's failure task is open (its start and end listeners): its change withdraws the
   * "running longer than usual" question (a conditional boundary event), so the two are never open together.
   */
  public static final String VAR_SYNC_FAILURE_OPEN = "syncFailureOpen";
}
