package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code prepare-and-announce} ({@code processes/prepare-and-announce.bpmn}): Prepare and announce. */
public final class PrepareAndAnnounceIds {
  private PrepareAndAnnounceIds() {}

  public static final String KEY = "prepare-and-announce";

  // flow nodes, in the file's order
  public static final String START_PREPARATION_REQUESTED = "StartEvent_PreparationRequested";
  public static final String PLAN_RUN = "ServiceTask_PlanRun";
  public static final String ANNOUNCE_START = "ServiceTask_AnnounceStart";
  public static final String GATEWAY_M2_CLOSED_LOOP = "Gateway_M2ClosedLoop";
  public static final String CONFIRM_M2_CLOSED_LOOP = "UserTask_ConfirmM2ClosedLoop";
  public static final String GATEWAY_M2_CLOSED_LOOP_JOIN = "Gateway_M2ClosedLoopJoin";
  public static final String CHECK_HELD_STATES = "ServiceTask_CheckHeldStates";
  public static final String GATEWAY_HELD_STATES_KNOWN = "Gateway_HeldStatesKnown";
  public static final String TIMER_HELD_STATES_POLL = "Timer_HeldStatesPoll";
  public static final String GATEWAY_HELD_STATES_OK = "Gateway_HeldStatesOk";
  public static final String FIX_HELD_STATES = "UserTask_FixHeldStates";
  public static final String GATEWAY_HELD_STATES_DECISION = "Gateway_HeldStatesDecision";
  public static final String END_ABORT_AT_HELD_STATES = "EndEvent_AbortAtHeldStates";
  public static final String GATEWAY_HELD_STATES_JOIN = "Gateway_HeldStatesJoin";
  public static final String END_PREPARED = "EndEvent_Prepared";
}
