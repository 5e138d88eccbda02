package org.lsst.ts.upgrade.runbook.offline;

/**
 * Ids of {@code send-cscs-offline}: the Watcher first, then every CSC (system_wide_shutdown.py) or
 * the given ones (set_summary_state.py, variable {@code offlineTargets}), then the other
 * ScriptQueues, then the queue that ran the scripts by direct LOVE commands (the queue-less final
 * step), then the effective states are verified; stragglers go to a person.
 */
public final class SendCscsOfflineIds {
  private SendCscsOfflineIds() {}

  public static final String KEY = "send-cscs-offline";
  public static final String START = "StartEvent_SendCscsOffline";
  public static final String PLAN = "ServiceTask_PlanCscsOffline";
  public static final String RUN_SHUTDOWN_SCRIPT = "CallActivity_RunShutdownScript";
  public static final String QUEUES_GATEWAY = "Gateway_OtherQueues";
  public static final String RUN_QUEUES_SCRIPT = "CallActivity_RunQueuesOfflineScript";
  public static final String QUEUES_JOIN = "Gateway_OtherQueuesJoin";
  public static final String EXIT_RUNNING_QUEUE = "ServiceTask_ExitRunningQueue";
  public static final String AWAIT_OFFLINE = "CallActivity_AwaitCscsOffline";
  public static final String ALL_OFFLINE_GATEWAY = "Gateway_AllOffline";
  public static final String HANDLE_STILL_ALIVE = "UserTask_HandleCscsStillAlive";
  public static final String STILL_ALIVE_DECISION_GATEWAY = "Gateway_StillAliveDecision";
  public static final String RECORD_HANDLED_BY_HAND = "ServiceTask_RecordHandledByHand";
  public static final String END = "EndEvent_CscsOffline";
  public static final String END_HANDLED_BY_HAND = "EndEvent_CscsHandledByHand";
}
