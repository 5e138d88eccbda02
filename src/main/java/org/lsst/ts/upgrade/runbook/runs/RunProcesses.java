package org.lsst.ts.upgrade.runbook.runs;

import java.util.List;

/** Keys of the processes a run can start (the BPMN process ids) and the agreed start variables. */
public final class RunProcesses {
  public static final String FULL_UPGRADE = "full-upgrade";
  public static final String INCREMENTAL_UPGRADE = "incremental-upgrade";
  public static final String OS_K8S_RECOVERY = "os-k8s-recovery";
  public static final String MINIMAL_TESTING = "minimal-testing";

  /** Every process a run can start, in the order the README lists them. */
  public static final List<String> ALL = List.of(FULL_UPGRADE, INCREMENTAL_UPGRADE, OS_K8S_RECOVERY, MINIMAL_TESTING);

  /** Start variables (exact names agreed between the processes). */
  public static final String VAR_SITE = "site";
  public static final String VAR_RUN_ID = "runId";
  public static final String VAR_CYCLE = "cycle";
  public static final String VAR_REVISION = "revision";
  public static final String VAR_BREAKING_SCHEMA_CHANGE = "breakingSchemaChange";
  public static final String VAR_PHALANX_REF = "phalanxRef";
  public static final String VAR_DOCKER_COMPOSE_OPS_BRANCH = "dockerComposeOpsBranch";
  public static final String VAR_LOVE_INTEGRATION_TOOLS_BRANCH = "loveIntegrationToolsBranch";
  public static final String VAR_STARTED_BY = "startedBy";
  /** List&lt;String&gt; of CSC ids {@code Name[:index]} (JSON-serialized object variable). */
  public static final String VAR_CSCS = "cscs";
  /** List&lt;String&gt;: {@code auxtel}, {@code maintel} (JSON-serialized object variable). */
  public static final String VAR_TELESCOPES = "telescopes";

  public static final String AUXTEL = "auxtel";
  public static final String MAINTEL = "maintel";

  private RunProcesses() {}
}
