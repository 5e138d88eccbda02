package org.lsst.ts.upgrade.runbook.recovery;

/** Ids of {@code recover-summit-hosts} ({@code processes/recover-summit-hosts.bpmn}): Recover the Summit's hosts. */
public final class RecoverSummitHostsIds {
  private RecoverSummitHostsIds() {}

  public static final String KEY = "recover-summit-hosts";

  // flow nodes, in the file's order
  public static final String START_RECOVER_HOSTS = "StartEvent_RecoverHosts";
  public static final String START_CRIO_SERVICES = "CallActivity_StartCrioServices";
  public static final String RESTART_HOST_CSCS = "CallActivity_RestartHostCscs";
  public static final String REBOOT_HOST = "ServiceTask_RebootHost";
  public static final String CHECK_HOST_BACK = "ServiceTask_CheckHostBack";
  public static final String GATEWAY_HOST_BACK = "Gateway_HostBack";
  public static final String TIMER_HOST_BACK_POLL = "Timer_HostBackPoll";
  public static final String HOST_NOT_BACK = "UserTask_HostNotBack";
  public static final String GATEWAY_HOST_NOT_BACK_DECISION = "Gateway_HostNotBackDecision";
  public static final String END_RECOVERY_ABORTED = "EndEvent_RecoveryAborted";
  public static final String GATEWAY_HOST_BACK_JOIN = "Gateway_HostBackJoin";
  public static final String M2_ENABLED_BEFORE_HEXROT_REBOOT = "UserTask_M2EnabledBeforeHexrotReboot";
  public static final String END_HOSTS_RECOVERED = "EndEvent_HostsRecovered";

  // variables
  public static final String VAR_RESTART_HOST = "restartHostName";
  public static final String VAR_REBOOT_HOST = "rebootHostName";
  public static final String VAR_HOST_BACK = "hostBack";
  public static final String VAR_HOST_BACK_TIMED_OUT = "hostBackTimedOut";
  public static final String VAR_HOST_BACK_DEADLINE = "hostBackDeadline";
  /** ISO-8601 duration the rebooted host has to come back; default {@link #DEFAULT_HOST_BACK_TIMEOUT}. */
  public static final String VAR_HOST_BACK_TIMEOUT = "hostBackTimeout";
  public static final String DEFAULT_HOST_BACK_TIMEOUT = "PT20M";
  public static final String VAR_HOST_DECISION = "hostDecision";
  public static final String VAR_M2_ENABLED = "m2Enabled";
  /** The boot id the rebooted host had before the reboot (back = answers with another one). */
  public static final String VAR_REBOOT_BOOT_ID = "rebootHostBootId";
  /** What the host steps did, for the history: host, each command's exit status, first lines of output. */
  public static final String VAR_REBOOT_HOST_RESULT = "rebootHostResult";
  /** The Summit hosts of the recovery (seed: CSCs on azar03 restarted, azar02 rebooted). */
  public static final String AZAR03 = "azar03";
  public static final String AZAR02 = "azar02";
}
