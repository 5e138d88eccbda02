package org.lsst.ts.upgrade.runbook.monitor;

/** Ids of {@code bring-up-and-monitor} ({@code processes/bring-up-and-monitor.bpmn}): Bring up and monitor. */
public final class BringUpAndMonitorIds {
  private BringUpAndMonitorIds() {}

  public static final String KEY = "bring-up-and-monitor";

  // flow nodes, in the file's order
  public static final String START_BRING_UP_REQUESTED = "StartEvent_BringUpRequested";
  public static final String GATEWAY_BARE_METAL_STARTUP = "Gateway_BareMetalStartup";
  public static final String START_BARE_METAL = "CallActivity_StartBareMetal";
  public static final String GATEWAY_BARE_METAL_STARTUP_JOIN = "Gateway_BareMetalStartupJoin";
  public static final String AWAIT_CSCS_UP = "CallActivity_AwaitCscsUp";
  public static final String BOUNDARY_ASK_AT_ONCE = "BoundaryEvent_AskAtOnce";
  public static final String GATEWAY_ALL_CSCS_UP = "Gateway_AllCscsUp";
  public static final String REPORT_UNHEALTHY_CSCS = "ServiceTask_ReportUnhealthyCscs";
  public static final String LIST_CSCS_NOT_UP = "ServiceTask_ListCscsNotUp";
  public static final String GATEWAY_CSCS_NOT_UP = "Gateway_CscsNotUp";
  public static final String END_UP_WHEN_CHECKED = "EndEvent_UpWhenChecked";
  public static final String END_MONITOR_ENDED = "EndEvent_MonitorEnded";
  public static final String CONTINUE_AFTER_MONITOR = "UserTask_ContinueAfterMonitor";
  public static final String GATEWAY_MONITOR_DECISION = "Gateway_MonitorDecision";
  public static final String END_ABORT_AFTER_MONITOR = "EndEvent_AbortAfterMonitor";
  public static final String GATEWAY_REPORTED_ALREADY = "Gateway_ReportedAlready";
  public static final String REPORT_CONTINUING_WITH_CSCS_NOT_UP = "ServiceTask_ReportContinuingWithCscsNotUp";
  public static final String GATEWAY_MONITOR_JOIN = "Gateway_MonitorJoin";
  public static final String END_CSCS_UP = "EndEvent_CscsUp";
}
