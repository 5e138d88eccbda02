package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code full-upgrade}: "Deploying the Upgrade" with its site pages. */
public final class FullUpgradeIds {
  private FullUpgradeIds() {}

  public static final String KEY = "full-upgrade";

  // 1. start
  public static final String START = "StartEvent_UpgradeRequested";
  public static final String PLAN = "ServiceTask_PlanRun";
  public static final String ANNOUNCE_START = "ServiceTask_AnnounceStart";
  // 2. safety preconditions
  public static final String M2_GATEWAY = "Gateway_M2ClosedLoop";
  public static final String CONFIRM_M2_CLOSED_LOOP = "UserTask_ConfirmM2ClosedLoop";
  public static final String M2_JOIN = "Gateway_M2ClosedLoopJoin";
  public static final String HELD_STATES_GATEWAY = "Gateway_HeldStates";
  public static final String CHECK_HELD_STATES = "ServiceTask_CheckHeldStates";
  public static final String HELD_STATES_OK_GATEWAY = "Gateway_HeldStatesOk";
  public static final String HELD_STATES_TIMER = "Timer_HeldStatesPoll";
  public static final String FIX_HELD_STATES = "UserTask_FixHeldStates";
  public static final String HELD_STATES_DECISION_GATEWAY = "Gateway_HeldStatesDecision";
  public static final String HELD_STATES_JOIN = "Gateway_HeldStatesJoin";
  // 3. offline
  public static final String SEND_CSCS_OFFLINE = "CallActivity_SendCscsOffline";
  // 4. clean-up
  public static final String CLEANUP_FORK = "Gateway_CleanupFork";
  public static final String CAMERA_GATEWAY = "Gateway_CameraBridges";
  public static final String STOP_CAMERA_BRIDGES = "ServiceTask_StopCameraBridges";
  public static final String NOTIFY_STAGE1 = "ServiceTask_NotifyCameraStage1";
  public static final String CAMERA_STAGE1 = "UserTask_CameraStage1";
  public static final String CAMERA_SKIP_JOIN = "Gateway_CameraBranchJoin";
  public static final String BARE_METAL_GATEWAY = "Gateway_BareMetalShutdown";
  public static final String SHUTDOWN_BARE_METAL = "ServiceTask_ShutdownBareMetal";
  public static final String BARE_METAL_JOIN = "Gateway_BareMetalShutdownJoin";
  public static final String CLEANUP_KUBERNETES = "ServiceTask_CleanupKubernetes";
  public static final String KUBERNETES_LEFTOVERS = "BoundaryEvent_KubernetesLeftovers";
  public static final String REVIEW_KUBERNETES_LEFTOVERS = "UserTask_ReviewKubernetesLeftovers";
  public static final String KUBERNETES_DECISION_GATEWAY = "Gateway_KubernetesLeftoversDecision";
  public static final String CLEANUP_NUBLADO = "ServiceTask_CleanupNublado";
  public static final String NUBLADO_LEFTOVERS = "BoundaryEvent_NubladoLeftovers";
  public static final String REVIEW_NUBLADO_LEFTOVERS = "UserTask_ReviewNubladoLeftovers";
  public static final String NUBLADO_DECISION_GATEWAY = "Gateway_NubladoLeftoversDecision";
  public static final String KUBERNETES_JOIN = "Gateway_KubernetesCleanupJoin";
  public static final String NUBLADO_JOIN = "Gateway_NubladoCleanupJoin";
  public static final String CLEANUP_JOIN = "Gateway_CleanupJoin";
  // 5. configuration
  public static final String CONFIRM_PHALANX_MERGED = "UserTask_ConfirmPhalanxMerged";
  public static final String REPOS_GATEWAY = "Gateway_BareMetalRepos";
  public static final String UPDATE_BARE_METAL_REPOS = "ServiceTask_UpdateBareMetalRepos";
  public static final String REPOS_JOIN = "Gateway_BareMetalReposJoin";
  // 6. schema compatibility
  public static final String BREAKING_GATEWAY = "Gateway_BreakingSchemaChange";
  public static final String RELAX_COMPATIBILITY = "CallActivity_RelaxSchemaCompatibility";
  public static final String BREAKING_JOIN = "Gateway_BreakingSchemaChangeJoin";
  // 7. deploy
  public static final String CONTROLLERS_GATEWAY = "Gateway_ControllerUpdates";
  public static final String CHOOSE_CONTROLLER_UPDATES = "UserTask_ChooseControllerUpdates";
  public static final String CONTROLLERS_JOIN = "Gateway_ControllerUpdatesJoin";
  public static final String DEPLOY_FORK = "Gateway_DeployFork";
  public static final String ESS_GATEWAY = "Gateway_UpdateEss";
  public static final String UPDATE_ESS_CONTROLLERS = "ServiceTask_UpdateEssControllers";
  public static final String ESS_JOIN = "Gateway_UpdateEssJoin";
  public static final String CRIOS_GATEWAY = "Gateway_UpdateCrios";
  public static final String START_CRIO_REBUILDS = "ServiceTask_StartCrioRebuilds";
  public static final String CHECK_CRIO_REBUILDS = "ServiceTask_CheckCrioRebuilds";
  public static final String CRIOS_DONE_GATEWAY = "Gateway_CrioRebuildsDone";
  public static final String CRIO_TIMER = "Timer_CrioRebuildPoll";
  public static final String CRIO_FAILED = "BoundaryEvent_CrioRebuildFailed";
  public static final String HANDLE_CRIO_FAILURE = "UserTask_HandleCrioRebuildFailure";
  public static final String CRIO_DECISION_GATEWAY = "Gateway_CrioDecision";
  public static final String START_CRIOS = "ServiceTask_StartCrios";
  public static final String CRIOS_JOIN = "Gateway_UpdateCriosJoin";
  public static final String SYNC_PLATFORM_APPS = "CallActivity_SyncPlatformApps";
  public static final String CONFIRM_SASQUATCH_SYNC = "UserTask_ConfirmSasquatchSync";
  public static final String SASQUATCH_GATEWAY = "Gateway_SyncSasquatch";
  public static final String SYNC_SASQUATCH = "CallActivity_SyncSasquatch";
  public static final String SASQUATCH_JOIN = "Gateway_SyncSasquatchJoin";
  public static final String SYNC_TELESCOPE_APPS = "CallActivity_SyncTelescopeApps";
  public static final String DEPLOY_JOIN = "Gateway_DeployJoin";
  public static final String CAMERA_STARTUP_GATEWAY = "Gateway_CameraStartup";
  public static final String START_CAMERA_SERVICES = "UserTask_StartCameraServices";
  public static final String NOTIFY_STAGE2 = "ServiceTask_NotifyCameraStage2";
  public static final String CAMERA_STARTUP_JOIN = "Gateway_CameraStartupJoin";
  public static final String BARE_METAL_STARTUP_GATEWAY = "Gateway_BareMetalStartup";
  public static final String START_BARE_METAL = "ServiceTask_StartBareMetal";
  public static final String BARE_METAL_STARTUP_JOIN = "Gateway_BareMetalStartupJoin";
  // 8. monitor
  public static final String AWAIT_CSCS_UP = "CallActivity_AwaitCscsUp";
  public static final String ALL_UP_GATEWAY = "Gateway_AllCscsUp";
  public static final String REPORT_UNHEALTHY = "ServiceTask_ReportUnhealthyCscs";
  public static final String CONTINUE_AFTER_MONITOR = "UserTask_ContinueAfterMonitor";
  public static final String MONITOR_DECISION_GATEWAY = "Gateway_MonitorDecision";
  public static final String MONITOR_JOIN = "Gateway_MonitorJoin";
  // 9. enable
  public static final String ENABLE_GATEWAY = "Gateway_EnableList";
  public static final String ENABLE_SITE_CSCS = "CallActivity_EnableSiteCscs";
  public static final String ENABLE_JOIN = "Gateway_EnableListJoin";
  // 10. finish
  public static final String DECIDE_INTEGRATION_TESTING = "UserTask_DecideIntegrationTesting";
  public static final String INTEGRATION_GATEWAY = "Gateway_IntegrationTestingNext";
  public static final String ANNOUNCE_NUBLADO = "ServiceTask_AnnounceNubladoAvailable";
  public static final String INTEGRATION_JOIN = "Gateway_IntegrationTestingJoin";
  public static final String RESTORE_GATEWAY = "Gateway_CompatibilityRelaxed";
  public static final String RESTORE_COMPATIBILITY = "CallActivity_RestoreSchemaCompatibility";
  public static final String RESTORE_JOIN = "Gateway_CompatibilityRelaxedJoin";
  public static final String POST_SUMMARY = "ServiceTask_PostSummary";
  public static final String END = "EndEvent_UpgradeDone";
  // abort (an operator's decision anywhere): error end events caught by the event sub-process
  public static final String ABORT_ERROR = "UPGRADE_ABORTED";
  public static final String ABORT_AFTER_HELD_STATES = "EndEvent_AbortAtHeldStates";
  public static final String ABORT_AFTER_MONITOR = "EndEvent_AbortAfterMonitor";
  public static final String ABORTED_SUBPROCESS = "SubProcess_UpgradeAborted";
  public static final String ABORTED_START = "StartEvent_UpgradeAborted";
  public static final String ANNOUNCE_ABORTED = "ServiceTask_AnnounceAborted";
  public static final String ABORTED_END = "EndEvent_UpgradeAborted";

  // BPMN errors handled by the process
  public static final String CLEANUP_INCOMPLETE = "CLEANUP_INCOMPLETE";
  public static final String CRIO_REBUILD_FAILED = "CRIO_REBUILD_FAILED";
  public static final String SYNC_FAILED = "SYNC_FAILED";

  // candidate groups
  public static final String OPERATORS = "operators";
  public static final String CAMERA_TEAM = "camera-team";
}
