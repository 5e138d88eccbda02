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
  public static final String GATEWAY_ADD_LOST_SCRIPT_AGAIN = "Gateway_AddLostScriptAgain";
  public static final String SCRIPT_LOST = "UserTask_ScriptLost";
  public static final String GATEWAY_SCRIPT_LOST_DECISION = "Gateway_ScriptLostDecision";
  public static final String PREPARE_SCRIPT_AGAIN = "ServiceTask_PrepareScriptAgain";
  public static final String SETTLE_LOST_SCRIPT = "ServiceTask_SettleLostScript";
  public static final String END_LOST_SCRIPT_SETTLED = "EndEvent_LostScriptSettled";
  public static final String GATEWAY_AWAIT_SCRIPT_END = "Gateway_AwaitScriptEnd";
  public static final String MESSAGE_EVENT_SCRIPT_ENDED = "MessageEvent_ScriptEnded";
  public static final String TIMER_SCRIPT_POLL = "Timer_ScriptPoll";
  public static final String SUB_PROCESS_SCRIPT_OVERDUE = "SubProcess_ScriptOverdue";
  public static final String START_SCRIPT_OVERDUE = "StartEvent_ScriptOverdue";
  public static final String DESCRIBE_OVERDUE_SCRIPT = "ServiceTask_DescribeOverdueScript";
  public static final String SCRIPT_OVERDUE = "UserTask_ScriptOverdue";
  public static final String GATEWAY_STOP_SCRIPT = "Gateway_StopScript";
  public static final String REQUEST_SCRIPT_STOP = "ServiceTask_RequestScriptStop";
  public static final String END_STOP_REQUESTED = "EndEvent_StopRequested";
  public static final String END_KEEP_WAITING = "EndEvent_KeepWaiting";

  // messages
  public static final String MESSAGE_SCRIPT_ENDED = "ScriptEnded";
}
