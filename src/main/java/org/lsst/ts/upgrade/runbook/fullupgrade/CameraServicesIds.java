package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code camera-services} ({@code processes/camera-services.bpmn}): Camera services. */
public final class CameraServicesIds {
  private CameraServicesIds() {}

  public static final String KEY = "camera-services";

  // flow nodes, in the file's order
  public static final String START_CAMERA_REQUESTED = "StartEvent_CameraRequested";
  public static final String GATEWAY_CAMERA_BRIDGES = "Gateway_CameraBridges";
  public static final String CAMERA_STAGE1 = "UserTask_CameraStage1";
  public static final String START_CAMERA_SERVICES = "UserTask_StartCameraServices";
  public static final String NOTIFY_CAMERA_STAGE2 = "ServiceTask_NotifyCameraStage2";
  public static final String GATEWAY_CAMERA_BRIDGES_JOIN = "Gateway_CameraBridgesJoin";
  public static final String END_CAMERA_UP = "EndEvent_CameraUp";
}
