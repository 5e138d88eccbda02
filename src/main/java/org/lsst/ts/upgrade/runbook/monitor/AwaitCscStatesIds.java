package org.lsst.ts.upgrade.runbook.monitor;

/** Ids of {@code await-csc-states} ({@code processes/await-csc-states.bpmn}): Await CSC states. */
public final class AwaitCscStatesIds {
  private AwaitCscStatesIds() {}

  public static final String KEY = "await-csc-states";

  // flow nodes, in the file's order
  public static final String START_AWAIT_CSC_STATES = "StartEvent_AwaitCscStates";
  public static final String CHECK_CSC_STATES = "ServiceTask_CheckCscStates";
  public static final String GATEWAY_CSC_STATES_REACHED = "Gateway_CscStatesReached";
  public static final String END_CSC_STATES_AWAITED = "EndEvent_CscStatesAwaited";
  public static final String GATEWAY_WAIT_FOR_CSC_STATES = "Gateway_WaitForCscStates";
  public static final String MESSAGE_EVENT_CSC_STATES_SEEN = "MessageEvent_CscStatesSeen";
  public static final String TIMER_CSC_STATES_POLL = "Timer_CscStatesPoll";

  // messages
  public static final String MESSAGE_CSC_STATES_SEEN = "CscStatesSeen";
  /** To the caller, with {@code awaitTellWhenKnownAlive}: every laggard is proven alive (the wait goes on). */
  public static final String MESSAGE_CSCS_KNOWN_ALIVE = "CscsKnownAlive";
}
