package org.lsst.ts.upgrade.runbook.hoststeps;

/** Ids of {@code update-crios} ({@code processes/update-crios.bpmn}): Update the cRIOs. */
public final class UpdateCriosIds {
  private UpdateCriosIds() {}

  public static final String KEY = "update-crios";

  // flow nodes, in the file's order
  public static final String START_UPDATE_CRIOS = "StartEvent_UpdateCrios";
  public static final String START_CRIO_REBUILDS = "ServiceTask_StartCrioRebuilds";
  public static final String CHECK_CRIO_REBUILDS = "ServiceTask_CheckCrioRebuilds";
  public static final String BOUNDARY_CRIO_REBUILD_FAILED = "BoundaryEvent_CrioRebuildFailed";
  public static final String GATEWAY_CRIO_REBUILDS_DONE = "Gateway_CrioRebuildsDone";
  public static final String START_CRIOS = "CallActivity_StartCrios";
  public static final String GATEWAY_CRIOS_UPDATED_JOIN = "Gateway_CriosUpdatedJoin";
  public static final String GATEWAY_HELD_CRIOS = "Gateway_HeldCrios";
  public static final String UPDATE_HELD_CRIOS = "UserTask_UpdateHeldCrios";
  public static final String GATEWAY_HELD_CRIOS_JOIN = "Gateway_HeldCriosJoin";
  public static final String END_CRIOS_UPDATED = "EndEvent_CriosUpdated";
  public static final String TIMER_CRIO_REBUILD_POLL = "Timer_CrioRebuildPoll";
  public static final String HANDLE_CRIO_REBUILD_FAILURE = "UserTask_HandleCrioRebuildFailure";
  public static final String GATEWAY_CRIO_DECISION = "Gateway_CrioDecision";
  public static final String END_ABORT_AT_CRIOS = "EndEvent_AbortAtCrios";
}
