package org.lsst.ts.upgrade.runbook.scripts;

/** Ids of {@code run-scripts} ({@code processes/run-scripts.bpmn}): Run scripts on a ScriptQueue. */
public final class RunScriptsIds {
  private RunScriptsIds() {}

  public static final String KEY = "run-scripts";

  // flow nodes, in the file's order
  public static final String START_RUN_SCRIPTS = "StartEvent_RunScripts";
  public static final String NEXT_SCRIPT = "ServiceTask_NextScript";
  public static final String GATEWAY_SCRIPT_LEFT = "Gateway_ScriptLeft";
  public static final String RUN_SCRIPT = "CallActivity_RunScript";
  public static final String RECORD_SCRIPT_OUTCOME = "ServiceTask_RecordScriptOutcome";
  public static final String GATEWAY_LIST_STOPS = "Gateway_ListStops";
  public static final String END_SCRIPT_FAILED = "EndEvent_ScriptFailed";
  public static final String END_SCRIPTS_DONE = "EndEvent_ScriptsDone";

  // variables: inputs
  public static final String VAR_SCRIPT_SET = "scriptSet";
  public static final String VAR_CONTINUE_ON_FAILURE = "continueOnFailure";
  public static final String VAR_TAKES_IMAGES = "takesImages";
  // working state
  /** Position in the list of the script being run (0-based). */
  public static final String VAR_SCRIPT_POSITION = "scriptPosition";
  public static final String VAR_SCRIPTS_DONE = "scriptsDone";
  /** The failure that ends the list (the SCRIPT_FAILED error's message). */
  public static final String VAR_SCRIPT_FAILURE = "scriptFailure";
  // outputs: newline-separated "path: reason" of failed scripts, and "path" of scripts that succeeded
  public static final String VAR_FAILED_SCRIPTS = "failedScripts";
  public static final String VAR_SCRIPTS_RUN = "scriptsRun";
}
