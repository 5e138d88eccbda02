package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code redeploy} ({@code processes/redeploy.bpmn}): Redeploy. */
public final class RedeployIds {
  private RedeployIds() {}

  public static final String KEY = "redeploy";

  // flow nodes, in the file's order
  public static final String START_REDEPLOY_REQUESTED = "StartEvent_RedeployRequested";
  public static final String GATEWAY_CONTROLLER_UPDATES = "Gateway_ControllerUpdates";
  public static final String CHOOSE_CONTROLLER_UPDATES = "UserTask_ChooseControllerUpdates";
  public static final String GATEWAY_CONTROLLER_UPDATES_JOIN = "Gateway_ControllerUpdatesJoin";
  public static final String GATEWAY_DEPLOY_FORK = "Gateway_DeployFork";
  public static final String GATEWAY_UPDATE_ESS = "Gateway_UpdateEss";
  public static final String UPDATE_ESS_CONTROLLERS = "CallActivity_UpdateEssControllers";
  public static final String GATEWAY_UPDATE_ESS_JOIN = "Gateway_UpdateEssJoin";
  public static final String GATEWAY_UPDATE_CRIOS = "Gateway_UpdateCrios";
  public static final String UPDATE_CRIOS = "CallActivity_UpdateCrios";
  public static final String GATEWAY_UPDATE_CRIOS_JOIN = "Gateway_UpdateCriosJoin";
  public static final String SYNC_PLATFORM_APPS = "CallActivity_SyncPlatformApps";
  public static final String READ_SASQUATCH_DIFF = "ServiceTask_ReadSasquatchDiff";
  public static final String CONFIRM_SASQUATCH_SYNC = "UserTask_ConfirmSasquatchSync";
  public static final String GATEWAY_SYNC_SASQUATCH = "Gateway_SyncSasquatch";
  public static final String SYNC_SASQUATCH = "CallActivity_SyncSasquatch";
  public static final String GATEWAY_SYNC_SASQUATCH_JOIN = "Gateway_SyncSasquatchJoin";
  public static final String SYNC_TELESCOPE_APPS = "CallActivity_SyncTelescopeApps";
  public static final String GATEWAY_DEPLOY_JOIN = "Gateway_DeployJoin";
  public static final String END_REDEPLOYED = "EndEvent_Redeployed";
}
