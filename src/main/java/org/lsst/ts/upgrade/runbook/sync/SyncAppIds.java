package org.lsst.ts.upgrade.runbook.sync;

/**
 * Ids of {@code sync-app} (sync one Argo CD app and poll until it is synced; a failure goes to a
 * person: retry, skip or abort) and {@code sync-apps-in-order} ({@code syncSequence} one after the
 * other, then {@code syncParallel} in parallel).
 */
public final class SyncAppIds {
  private SyncAppIds() {}

  public static final String APP_KEY = "sync-app";
  public static final String APP_START = "StartEvent_SyncApp";
  public static final String START_SYNC = "ServiceTask_StartAppSync";
  public static final String CHECK_SYNC = "ServiceTask_CheckAppSync";
  public static final String SYNC_DONE_GATEWAY = "Gateway_AppSynced";
  public static final String POLL_TIMER = "Timer_AppSyncPoll";
  public static final String SYNC_FAILED = "BoundaryEvent_AppSyncFailed";
  public static final String HANDLE_SYNC_FAILURE = "UserTask_HandleSyncFailure";
  public static final String SYNC_DECISION_GATEWAY = "Gateway_SyncDecision";
  public static final String NOTICE_SKIPPED = "ServiceTask_AnnounceSyncSkipped";
  public static final String APP_END = "EndEvent_AppSynced";
  public static final String APP_END_SKIPPED = "EndEvent_AppSyncSkipped";
  public static final String APP_END_ABORTED = "EndEvent_AppSyncAborted";

  public static final String ORDER_KEY = "sync-apps-in-order";
  public static final String ORDER_START = "StartEvent_SyncAppsInOrder";
  public static final String DEFAULT_LISTS = "ServiceTask_DefaultAppLists";
  public static final String SYNC_SEQUENTIALLY = "CallActivity_SyncAppsOneByOne";
  public static final String SYNC_IN_PARALLEL = "CallActivity_SyncAppsInParallel";
  public static final String ORDER_END = "EndEvent_AppsSynced";
}
