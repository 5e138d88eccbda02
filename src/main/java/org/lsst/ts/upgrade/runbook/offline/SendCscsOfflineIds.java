package org.lsst.ts.upgrade.runbook.offline;

/** Ids of {@code send-cscs-offline} ({@code processes/send-cscs-offline.bpmn}): Send CSCs OFFLINE. */
public final class SendCscsOfflineIds {
  private SendCscsOfflineIds() {}

  public static final String KEY = "send-cscs-offline";

  // flow nodes, in the file's order
  public static final String START_SEND_CSCS_OFFLINE = "StartEvent_SendCscsOffline";
  public static final String PLAN_CSCS_OFFLINE = "ServiceTask_PlanCscsOffline";
  public static final String RUN_SHUTDOWN_SCRIPT = "CallActivity_RunShutdownScript";
  public static final String AWAIT_TARGETS_OFFLINE = "CallActivity_AwaitTargetsOffline";
  public static final String GATEWAY_STRAGGLERS = "Gateway_Stragglers";
  public static final String PLAN_STRAGGLER_RETRY = "ServiceTask_PlanStragglerRetry";
  public static final String RETRY_STRAGGLERS = "CallActivity_RetryStragglers";
  public static final String GATEWAY_STRAGGLERS_JOIN = "Gateway_StragglersJoin";
  public static final String GATEWAY_OTHER_QUEUES = "Gateway_OtherQueues";
  public static final String RUN_QUEUES_OFFLINE_SCRIPT = "CallActivity_RunQueuesOfflineScript";
  public static final String GATEWAY_OTHER_QUEUES_JOIN = "Gateway_OtherQueuesJoin";
  public static final String EXIT_RUNNING_QUEUE = "ServiceTask_ExitRunningQueue";
  public static final String AWAIT_CSCS_OFFLINE = "CallActivity_AwaitCscsOffline";
  public static final String GATEWAY_ALL_OFFLINE = "Gateway_AllOffline";
  public static final String END_CSCS_OFFLINE = "EndEvent_CscsOffline";
  public static final String HANDLE_CSCS_STILL_ALIVE = "UserTask_HandleCscsStillAlive";
  public static final String GATEWAY_STILL_ALIVE_DECISION = "Gateway_StillAliveDecision";
  public static final String RECORD_HANDLED_BY_HAND = "ServiceTask_RecordHandledByHand";
  public static final String END_CSCS_HANDLED_BY_HAND = "EndEvent_CscsHandledByHand";
  public static final String BOUNDARY_STILL_BEATING = "BoundaryEvent_StillBeating";
  public static final String BOUNDARY_ASK_AT_ONCE = "BoundaryEvent_AskAtOnce";
  public static final String LIST_CSCS_STILL_ALIVE = "ServiceTask_ListCscsStillAlive";
  public static final String GATEWAY_STILL_ALIVE = "Gateway_StillAlive";
  public static final String END_NONE_STILL_ALIVE = "EndEvent_NoneStillAlive";
  public static final String END_WATCH_ENDED = "EndEvent_WatchEnded";

  // messages
  public static final String MESSAGE_CSCS_KNOWN_ALIVE = "CscsKnownAlive";
}
