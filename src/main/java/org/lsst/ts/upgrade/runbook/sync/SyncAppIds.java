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
}
