package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code full-upgrade} ({@code processes/full-upgrade.bpmn}): Full upgrade (Deploying the Upgrade). */
public final class FullUpgradeIds {
  private FullUpgradeIds() {}

  public static final String KEY = "full-upgrade";

  // flow nodes, in the file's order
  public static final String START_UPGRADE_REQUESTED = "StartEvent_UpgradeRequested";
  /** Preflight (runbook.preflight): access to every system, then the plan to approve; before anything changes. */
  public static final String CALL_PREFLIGHT = "CallActivity_Preflight";
  public static final String PREPARE_AND_ANNOUNCE = "CallActivity_PrepareAndAnnounce";
  public static final String SEND_CSCS_OFFLINE = "CallActivity_SendCscsOffline";
  public static final String SHUT_DOWN_AND_CLEAN_UP = "CallActivity_ShutDownAndCleanUp";
  public static final String UPDATE_CONFIGURATION = "CallActivity_UpdateConfiguration";
  public static final String REDEPLOY = "CallActivity_Redeploy";
  public static final String CAMERA_SERVICES = "CallActivity_CameraServices";
  public static final String BRING_UP_AND_MONITOR = "CallActivity_BringUpAndMonitor";
  public static final String ENABLE_AND_CLOSE = "CallActivity_EnableAndClose";
  public static final String END_UPGRADE_DONE = "EndEvent_UpgradeDone";
  public static final String SUBPROCESS_UPGRADE_ABORTED = "SubProcess_UpgradeAborted";
  public static final String START_UPGRADE_ABORTED = "StartEvent_UpgradeAborted";
  public static final String ANNOUNCE_ABORTED = "ServiceTask_AnnounceAborted";
  public static final String END_UPGRADE_ABORTED = "EndEvent_UpgradeAborted";
}
