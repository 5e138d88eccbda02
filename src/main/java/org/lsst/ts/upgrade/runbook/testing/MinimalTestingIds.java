package org.lsst.ts.upgrade.runbook.testing;

import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds;

/** Ids and variables of the {@code minimal-testing} process (seed: "Minimal Testing"). */
public final class MinimalTestingIds {
  public static final String PROCESS = RunProcesses.MINIMAL_TESTING;

  public static final String PLAN = "ServiceTask_PlanMinimalTesting";
  public static final String AUXTEL = "SubProcess_AuxTel";
  public static final String AUXTEL_TEST = "SubProcess_AuxTelTest";
  public static final String AUXTEL_ENABLE = "CallActivity_AuxTelEnable";
  public static final String AUXTEL_HOUSEKEEPING = "UserTask_AuxTelHousekeeping";
  public static final String AUXTEL_TRACK = "CallActivity_AuxTelTrack";
  public static final String AUXTEL_IMAGES = "UserTask_AuxTelImagesIngested";
  public static final String AUXTEL_SCRIPT_FAILED = "BoundaryEvent_AuxTelScriptFailed";
  public static final String AUXTEL_SAFE = "CallActivity_AuxTelSafeEnding";
  public static final String MAINTEL = "SubProcess_MainTel";
  public static final String MAINTEL_TEST = "SubProcess_MainTelTest";
  public static final String MAINTEL_ENABLE = "CallActivity_MainTelEnable";
  public static final String MAINTEL_HOUSEKEEPING = "UserTask_MainTelHousekeeping";
  public static final String MAINTEL_TRACK = "CallActivity_MainTelTrack";
  public static final String MAINTEL_IMAGES = "UserTask_MainTelImagesIngested";
  public static final String MAINTEL_SCRIPT_FAILED = "BoundaryEvent_MainTelScriptFailed";
  public static final String MAINTEL_SAFE = "CallActivity_MainTelSafeEnding";
  public static final String SUMMARIZE = "ServiceTask_SummarizeMinimalTesting";
  public static final String PASSED = "EndEvent_MinimalTestingPassed";
  public static final String FAILED = "EndEvent_MinimalTestingFailed";

  /** BPMN error thrown by the failed end (callers catch it). */
  public static final String ERROR_MINIMAL_TESTING_FAILED = "MinimalTestingFailed";

  public static final String VAR_TEST_AUXTEL = "testAuxTel";
  public static final String VAR_TEST_MAINTEL = "testMainTel";
  public static final String VAR_TAKES_IMAGES = RunScriptsIds.VAR_TAKES_IMAGES;
  public static final String VAR_CHRONOGRAF_URL = "chronografUrl";
  public static final String VAR_NUBLADO_URL = "nubladoUrl";
  public static final String VAR_AUXTEL_DASHBOARDS = "auxtelDashboards";
  public static final String VAR_MAINTEL_DASHBOARDS = "maintelDashboards";
  public static final String VAR_AUXTEL_FAILURE = "auxtelFailure";
  public static final String VAR_MAINTEL_FAILURE = "maintelFailure";
  public static final String VAR_AUXTEL_SAFE_FAILURES = "auxtelSafeEndingFailures";
  public static final String VAR_MAINTEL_SAFE_FAILURES = "maintelSafeEndingFailures";
  public static final String VAR_AUXTEL_SAFE = "auxtelSafe";
  public static final String VAR_MAINTEL_SAFE = "maintelSafe";
  /** Form decisions (the form default is the autopilot's answer). */
  public static final String VAR_AUXTEL_HOUSEKEEPING_DONE = "auxtelHousekeepingDone";
  public static final String VAR_MAINTEL_HOUSEKEEPING_DONE = "maintelHousekeepingDone";
  public static final String VAR_AUXTEL_IMAGES_INGESTED = "auxtelImagesIngested";
  public static final String VAR_MAINTEL_IMAGES_INGESTED = "maintelImagesIngested";
  public static final String VAR_MAINTEL_RUBINTV_OK = "maintelRubinTvOk";
  /** Outcome. */
  public static final String VAR_PASSED = "minimalTestingPassed";
  public static final String VAR_REPORT = "minimalTestingReport";

  private MinimalTestingIds() {}
}
