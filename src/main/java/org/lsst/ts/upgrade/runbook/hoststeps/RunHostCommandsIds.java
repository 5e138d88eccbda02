package org.lsst.ts.upgrade.runbook.hoststeps;

/** Ids of {@code run-host-commands} ({@code processes/run-host-commands.bpmn}): Run a host step (detached, polled). */
public final class RunHostCommandsIds {
  private RunHostCommandsIds() {}

  public static final String KEY = "run-host-commands";

  // flow nodes, in the file's order
  public static final String START_HOST_STEP_REQUESTED = "StartEvent_HostStepRequested";
  public static final String START_HOST_COMMANDS = "ServiceTask_StartHostCommands";
  public static final String CHECK_HOST_COMMANDS = "ServiceTask_CheckHostCommands";
  public static final String GATEWAY_HOST_COMMANDS_DONE = "Gateway_HostCommandsDone";
  public static final String TIMER_HOST_COMMANDS_POLL = "Timer_HostCommandsPoll";
  public static final String END_HOST_STEP_DONE = "EndEvent_HostStepDone";

  // variables of the called process (local to it)
  /** One entry per host: {@code host job-id attempt} (the detached job polled on that host). */
  public static final String VAR_HOST_JOBS = "hostJobs";
  public static final String VAR_HOST_COMMANDS_DONE = "hostCommandsDone";
  /** When hosts still running make the step an incident ({@code upgrade.ssh.detached-timeout}). */
  public static final String VAR_HOST_COMMANDS_DEADLINE = "hostCommandsDeadline";
}
