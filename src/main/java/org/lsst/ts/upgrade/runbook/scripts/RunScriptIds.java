package org.lsst.ts.upgrade.runbook.scripts;

/** Ids of {@code run-script}: add a script to a ScriptQueue and poll its outcome (a failed script's queue is resumed). */
public final class RunScriptIds {
  private RunScriptIds() {}

  public static final String KEY = "run-script";
  public static final String START = "StartEvent_RunScript";
  public static final String ADD_SCRIPT = "ServiceTask_AddScript";
  public static final String CHECK_SCRIPT = "ServiceTask_CheckScript";
  public static final String SCRIPT_DONE_GATEWAY = "Gateway_ScriptDone";
  public static final String POLL_TIMER = "Timer_ScriptPoll";
  public static final String END = "EndEvent_ScriptEnded";
}
