package org.lsst.ts.upgrade.runbook.sync;

/** Ids of {@code sync-apps-in-order} ({@code processes/sync-apps-in-order.bpmn}): Sync Argo CD apps in order. */
public final class SyncAppsInOrderIds {
  private SyncAppsInOrderIds() {}

  public static final String KEY = "sync-apps-in-order";

  // flow nodes, in the file's order
  public static final String START_SYNC_APPS_IN_ORDER = "StartEvent_SyncAppsInOrder";
  public static final String DEFAULT_APP_LISTS = "ServiceTask_DefaultAppLists";
  public static final String SYNC_APPS_ONE_BY_ONE = "CallActivity_SyncAppsOneByOne";
  public static final String SYNC_APPS_IN_PARALLEL = "CallActivity_SyncAppsInParallel";
  public static final String END_APPS_SYNCED = "EndEvent_AppsSynced";
}
