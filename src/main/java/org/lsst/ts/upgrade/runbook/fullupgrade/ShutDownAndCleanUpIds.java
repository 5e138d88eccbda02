package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code shut-down-and-clean-up} ({@code processes/shut-down-and-clean-up.bpmn}): Shut down and clean up. */
public final class ShutDownAndCleanUpIds {
  private ShutDownAndCleanUpIds() {}

  public static final String KEY = "shut-down-and-clean-up";

  // flow nodes, in the file's order
  public static final String START_CLEAN_UP_REQUESTED = "StartEvent_CleanUpRequested";
  public static final String GATEWAY_CLEANUP_FORK = "Gateway_CleanupFork";
  public static final String GATEWAY_CAMERA_BRIDGES = "Gateway_CameraBridges";
  public static final String STOP_CAMERA_BRIDGES = "CallActivity_StopCameraBridges";
  public static final String NOTIFY_CAMERA_STAGE1 = "ServiceTask_NotifyCameraStage1";
  public static final String GATEWAY_CAMERA_BRANCH_JOIN = "Gateway_CameraBranchJoin";
  public static final String GATEWAY_BARE_METAL_SHUTDOWN = "Gateway_BareMetalShutdown";
  public static final String SHUTDOWN_BARE_METAL = "CallActivity_ShutdownBareMetal";
  public static final String GATEWAY_BARE_METAL_SHUTDOWN_JOIN = "Gateway_BareMetalShutdownJoin";
  public static final String CLEANUP_KUBERNETES = "CallActivity_CleanupKubernetes";
  public static final String CLEANUP_NUBLADO = "CallActivity_CleanupNublado";
  public static final String GATEWAY_CLEANUP_JOIN = "Gateway_CleanupJoin";
  public static final String END_CLEANED_UP = "EndEvent_CleanedUp";
}
