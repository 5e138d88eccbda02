package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code enable-and-close} ({@code processes/enable-and-close.bpmn}): Enable and close. */
public final class EnableAndCloseIds {
  private EnableAndCloseIds() {}

  public static final String KEY = "enable-and-close";

  // flow nodes, in the file's order
  public static final String START_CLOSE_REQUESTED = "StartEvent_CloseRequested";
  public static final String GATEWAY_ENABLE_LIST = "Gateway_EnableList";
  public static final String ENABLE_SITE_CSCS = "CallActivity_EnableSiteCscs";
  public static final String AWAIT_SITE_CSCS_ENABLED = "CallActivity_AwaitSiteCscsEnabled";
  public static final String GATEWAY_ALL_ENABLED = "Gateway_AllEnabled";
  public static final String REPORT_NOT_ENABLED = "ServiceTask_ReportNotEnabled";
  public static final String GATEWAY_ALL_ENABLED_JOIN = "Gateway_AllEnabledJoin";
  public static final String GATEWAY_ENABLE_LIST_JOIN = "Gateway_EnableListJoin";
  public static final String DECIDE_INTEGRATION_TESTING = "UserTask_DecideIntegrationTesting";
  public static final String GATEWAY_INTEGRATION_TESTING_NEXT = "Gateway_IntegrationTestingNext";
  public static final String ANNOUNCE_NUBLADO_AVAILABLE = "ServiceTask_AnnounceNubladoAvailable";
  public static final String GATEWAY_INTEGRATION_TESTING_JOIN = "Gateway_IntegrationTestingJoin";
  public static final String GATEWAY_COMPATIBILITY_RELAXED = "Gateway_CompatibilityRelaxed";
  public static final String RESTORE_SCHEMA_COMPATIBILITY = "CallActivity_RestoreSchemaCompatibility";
  public static final String GATEWAY_COMPATIBILITY_RELAXED_JOIN = "Gateway_CompatibilityRelaxedJoin";
  public static final String POST_SUMMARY = "ServiceTask_PostSummary";
  public static final String END_CLOSED = "EndEvent_Closed";
}
