package org.lsst.ts.upgrade.runbook.runs;

import java.util.List;

/** Keys of the processes a run can start (the BPMN process ids); their start variables are in {@link org.lsst.ts.upgrade.runbook.RunVariables}. */
public final class RunProcesses {
  public static final String FULL_UPGRADE = "full-upgrade";
  public static final String INCREMENTAL_UPGRADE = "incremental-upgrade";
  public static final String OS_K8S_RECOVERY = "os-k8s-recovery";
  public static final String MINIMAL_TESTING = "minimal-testing";

  /** Every process a run can start, in the order the README lists them. */
  public static final List<String> ALL = List.of(FULL_UPGRADE, INCREMENTAL_UPGRADE, OS_K8S_RECOVERY, MINIMAL_TESTING);

  public static final String AUXTEL = "auxtel";
  public static final String MAINTEL = "maintel";

  private RunProcesses() {}
}
