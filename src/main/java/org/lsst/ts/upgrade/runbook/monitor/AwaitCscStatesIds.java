package org.lsst.ts.upgrade.runbook.monitor;

/**
 * Ids of {@code await-csc-states}: poll the live (effective) CSC states until every expectation
 * holds or the timeout passes. Never asks a person: the caller decides what a timeout means.
 */
public final class AwaitCscStatesIds {
  private AwaitCscStatesIds() {}

  public static final String KEY = "await-csc-states";
  public static final String START = "StartEvent_AwaitCscStates";
  public static final String CHECK = "ServiceTask_CheckCscStates";
  public static final String DONE_GATEWAY = "Gateway_CscStatesReached";
  public static final String POLL_TIMER = "Timer_CscStatesPoll";
  public static final String END = "EndEvent_CscStatesAwaited";
}
