package org.lsst.ts.upgrade.runbook.testing;

/** Ids of {@code minimal-testing} ({@code processes/minimal-testing.bpmn}): Minimal testing. */
public final class MinimalTestingIds {
  private MinimalTestingIds() {}

  public static final String KEY = "minimal-testing";

  // flow nodes, in the file's order
  public static final String START_MINIMAL_TESTING = "StartEvent_MinimalTesting";
  /** Preflight (runbook.preflight) when started on its own; a run that calls minimal testing did its own. */
  public static final String CALL_PREFLIGHT = "CallActivity_Preflight";
  public static final String BOUNDARY_PREFLIGHT_ABORTED = "BoundaryEvent_PreflightAborted";
  public static final String END_MINIMAL_TESTING_ABORTED = "EndEvent_MinimalTestingAborted";
  public static final String PLAN_MINIMAL_TESTING = "ServiceTask_PlanMinimalTesting";
  public static final String GATEWAY_TELESCOPES = "Gateway_Telescopes";
  public static final String SUBPROCESS_AUXTEL = "SubProcess_AuxTel";
  public static final String START_AUXTEL = "StartEvent_AuxTel";
  public static final String SUBPROCESS_AUXTEL_TEST = "SubProcess_AuxTelTest";
  public static final String START_AUXTEL_TEST = "StartEvent_AuxTelTest";
  public static final String AUXTEL_ENABLE = "CallActivity_AuxTelEnable";
  public static final String AUXTEL_HOUSEKEEPING = "UserTask_AuxTelHousekeeping";
  public static final String AUXTEL_TRACK = "CallActivity_AuxTelTrack";
  public static final String GATEWAY_AUXTEL_TAKES_IMAGES = "Gateway_AuxTelTakesImages";
  public static final String AUXTEL_IMAGES_INGESTED = "UserTask_AuxTelImagesIngested";
  public static final String END_AUXTEL_TESTED = "EndEvent_AuxTelTested";
  public static final String BOUNDARY_AUXTEL_SCRIPT_FAILED = "BoundaryEvent_AuxTelScriptFailed";
  public static final String AUXTEL_SAFE_ENDING = "CallActivity_AuxTelSafeEnding";
  public static final String END_AUXTEL_DONE = "EndEvent_AuxTelDone";
  public static final String SUBPROCESS_MAINTEL = "SubProcess_MainTel";
  public static final String START_MAINTEL = "StartEvent_MainTel";
  public static final String SUBPROCESS_MAINTEL_TEST = "SubProcess_MainTelTest";
  public static final String START_MAINTEL_TEST = "StartEvent_MainTelTest";
  public static final String MAINTEL_ENABLE = "CallActivity_MainTelEnable";
  public static final String MAINTEL_HOUSEKEEPING = "UserTask_MainTelHousekeeping";
  public static final String MAINTEL_TRACK = "CallActivity_MainTelTrack";
  public static final String GATEWAY_MAINTEL_TAKES_IMAGES = "Gateway_MainTelTakesImages";
  public static final String MAINTEL_IMAGES_INGESTED = "UserTask_MainTelImagesIngested";
  public static final String END_MAINTEL_TESTED = "EndEvent_MainTelTested";
  public static final String BOUNDARY_MAINTEL_SCRIPT_FAILED = "BoundaryEvent_MainTelScriptFailed";
  public static final String MAINTEL_SAFE_ENDING = "CallActivity_MainTelSafeEnding";
  public static final String END_MAINTEL_DONE = "EndEvent_MainTelDone";
  public static final String GATEWAY_TELESCOPES_TESTED = "Gateway_TelescopesTested";
  public static final String SUMMARIZE_MINIMAL_TESTING = "ServiceTask_SummarizeMinimalTesting";
  public static final String GATEWAY_PASSED = "Gateway_Passed";
  public static final String END_MINIMAL_TESTING_PASSED = "EndEvent_MinimalTestingPassed";
  public static final String END_MINIMAL_TESTING_FAILED = "EndEvent_MinimalTestingFailed";

  // variables
  public static final String VAR_TEST_AUXTEL = "testAuxTel";
  public static final String VAR_TEST_MAINTEL = "testMainTel";
  public static final String VAR_TAKES_IMAGES = org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds.VAR_TAKES_IMAGES;
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
}
