package org.lsst.ts.upgrade.runbook.fullupgrade;

/** Ids of {@code update-configuration} ({@code processes/update-configuration.bpmn}): Configuration and bare-metal updates. */
public final class UpdateConfigurationIds {
  private UpdateConfigurationIds() {}

  public static final String KEY = "update-configuration";

  // flow nodes, in the file's order
  public static final String START_CONFIGURATION_REQUESTED = "StartEvent_ConfigurationRequested";
  public static final String CHECK_PHALANX_REF = "ServiceTask_CheckPhalanxRef";
  public static final String CONFIRM_PHALANX_MERGED = "UserTask_ConfirmPhalanxMerged";
  public static final String GATEWAY_BARE_METAL_REPOS = "Gateway_BareMetalRepos";
  public static final String UPDATE_BARE_METAL_REPOS = "CallActivity_UpdateBareMetalRepos";
  public static final String GATEWAY_BARE_METAL_REPOS_JOIN = "Gateway_BareMetalReposJoin";
  public static final String GATEWAY_BREAKING_SCHEMA_CHANGE = "Gateway_BreakingSchemaChange";
  public static final String RELAX_SCHEMA_COMPATIBILITY = "CallActivity_RelaxSchemaCompatibility";
  public static final String GATEWAY_BREAKING_SCHEMA_CHANGE_JOIN = "Gateway_BreakingSchemaChangeJoin";
  public static final String END_CONFIGURED = "EndEvent_Configured";
}
