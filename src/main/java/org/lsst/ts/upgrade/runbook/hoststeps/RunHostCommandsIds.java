package org.lsst.ts.upgrade.runbook.hoststeps;

/** Ids of {@code run-host-commands} ({@code processes/run-host-commands.bpmn}): Run a host step (detached, polled). */
public final class RunHostCommandsIds {
  private RunHostCommandsIds() {}

  public static final String KEY = "run-host-commands";

  // flow nodes, in the file's order
  public static final String START_HOST_STEP_REQUESTED = "StartEvent_HostStepRequested";
  public static final String START_HOST_COMMANDS = "ServiceTask_StartHostCommands";
  public static final String CHECK_HOST_COMMANDS = "ServiceTask_CheckHostCommands";
  public static final String BOUNDARY_HOST_STEP_FAILED = "BoundaryEvent_HostStepFailed";
  public static final String GATEWAY_HOST_COMMANDS_DONE = "Gateway_HostCommandsDone";
  public static final String TIMER_HOST_COMMANDS_POLL = "Timer_HostCommandsPoll";
  public static final String END_HOST_STEP_DONE = "EndEvent_HostStepDone";
  public static final String HANDLE_HOST_STEP_FAILURE = "UserTask_HandleHostStepFailure";
  public static final String GATEWAY_HOST_STEP_DECISION = "Gateway_HostStepDecision";
  public static final String RUN_FAILED_HOSTS_AGAIN = "ServiceTask_RunFailedHostsAgain";
  public static final String RECORD_HOST_STEP_BY_HAND = "ServiceTask_RecordHostStepByHand";
  public static final String END_HOST_STEP_DONE_BY_HAND = "EndEvent_HostStepDoneByHand";
  public static final String END_HOST_STEP_ABORTED = "EndEvent_HostStepAborted";
  public static final String HOST_STEP_OVERDUE = "SubProcess_HostStepOverdue";
  public static final String START_HOST_STEP_OVERDUE = "StartEvent_HostStepOverdue";
  public static final String DESCRIBE_SLOW_HOST_STEP = "ServiceTask_DescribeSlowHostStep";
  public static final String GATEWAY_HOSTS_STILL_RUNNING = "Gateway_HostsStillRunning";
  public static final String USER_TASK_HOST_STEP_OVERDUE = "UserTask_HostStepOverdue";
  public static final String BOUNDARY_HOST_STEP_FAILURE_OPENED = "BoundaryEvent_HostStepFailureOpened";
  public static final String GATEWAY_STOP_WAITING_FOR_HOSTS = "Gateway_StopWaitingForHosts";
  public static final String REQUEST_HOST_STEP_STOP = "ServiceTask_RequestHostStepStop";
  public static final String END_HOST_STEP_STOP_REQUESTED = "EndEvent_HostStepStopRequested";
  public static final String END_KEEP_WAITING_FOR_HOSTS = "EndEvent_KeepWaitingForHosts";
  public static final String END_HOST_FAILURE_ASKED_ALREADY = "EndEvent_HostFailureAskedAlready";
  public static final String END_HOST_STEP_OVERDUE_WITHDRAWN = "EndEvent_HostStepOverdueWithdrawn";

  // variables of the called process (local to it)
  /** One entry per host: {@code host job-id attempt} (the detached job polled on that host). */
  public static final String VAR_HOST_JOBS = "hostJobs";
  public static final String VAR_HOST_COMMANDS_DONE = "hostCommandsDone";
  /** When hosts still running make the step a failure for a person ({@code upgrade.ssh.detached-timeout}). */
  public static final String VAR_HOST_COMMANDS_DEADLINE = "hostCommandsDeadline";
  /** When the step's commands were started (the "running longer than usual" task says for how long). */
  public static final String VAR_HOST_COMMANDS_STARTED_AT = "hostCommandsStartedAt";
  /** The hosts still running their commands at the last poll. */
  public static final String VAR_HOSTS_RUNNING = "hostsRunning";
  /** What the step is, as people read it: the calling step's name and the host step ({@code CAMERA_SHUTDOWN}). */
  public static final String VAR_HOST_STEP_LABEL = "hostStepLabel";
  /** What the failure task shows: each host not done, its exit status and the end of its log, and what to do. */
  public static final String VAR_HOST_STEP_FAILURE_TEXT = "hostStepFailureText";
  /** The hosts the failure is about (failed, or still running when a person stopped waiting or at the deadline). */
  public static final String VAR_HOSTS_NOT_DONE = "hostsNotDone";
  /** The failure task's decision: {@code retry}, {@code handledByHand} or {@code abort}. */
  public static final String VAR_HOST_STEP_DECISION = "hostStepDecision";
  /**
   * The failure task's note, required with "done by hand" (by the task's complete listener, so Slack can still
   * offer "retry" as a button; named after the answer it belongs to, so that answer is given in Tasklist).
   */
  public static final String VAR_HOST_STEP_BY_HAND_NOTE = "hostStepHandledByHandNote";
  /** What the "running longer than usual" task shows. */
  public static final String VAR_HOST_STEP_OVERDUE_TEXT = "hostStepOverdueText";
  /** Whether to ask at all: not while the step's failure task is open. */
  public static final String VAR_HOST_STEP_OVERDUE_ASK = "hostStepOverdueAsk";
  /**
   * True while the step's failure task is open (its start and end listeners): its change withdraws the
   * "running longer than usual" question (a conditional boundary event), so the two are never open together.
   */
  public static final String VAR_HOST_STEP_FAILURE_OPEN = "hostStepFailureOpen";
  public static final String VAR_HOST_STEP_OVERDUE_DECISION = "hostStepOverdueDecision";
  /** Set by a person through the "running longer than usual" task: the next check ends the wait as a failure. */
  public static final String VAR_HOST_STEP_STOP_REQUESTED_BY = "hostStepStopRequestedBy";
}
