package org.lsst.ts.upgrade.runbook.scripts;

/** Ids of {@code run-script} ({@code processes/run-script.bpmn}): Run a script on a ScriptQueue. */
public final class RunScriptIds {
  private RunScriptIds() {}

  public static final String KEY = "run-script";

  // flow nodes, in the file's order
  public static final String START_RUN_SCRIPT = "StartEvent_RunScript";
  public static final String ADD_SCRIPT = "ServiceTask_AddScript";
  public static final String CHECK_SCRIPT = "ServiceTask_CheckScript";
  public static final String GATEWAY_SCRIPT_DONE = "Gateway_ScriptDone";
  public static final String END_SCRIPT_ENDED = "EndEvent_ScriptEnded";
  public static final String TIMER_SCRIPT_POLL = "Timer_ScriptPoll";
}
