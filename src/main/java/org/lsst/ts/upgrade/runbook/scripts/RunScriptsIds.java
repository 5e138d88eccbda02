package org.lsst.ts.upgrade.runbook.scripts;

/** Ids and variables of the {@code run-scripts} process (runs a named list of scripts on one ScriptQueue). */
public final class RunScriptsIds {
  public static final String PROCESS = "run-scripts";

  public static final String ADD_NEXT_SCRIPT = "ServiceTask_AddNextScript";
  public static final String CHECK_SCRIPT = "ServiceTask_CheckScript";
  public static final String WAIT_FOR_SCRIPT = "TimerEvent_WaitForScript";
  public static final String SCRIPTS_DONE = "EndEvent_ScriptsDone";

  /** BPMN error: a script failed (or never ended) and the list does not continue on failure. */
  public static final String ERROR_SCRIPT_FAILED = "ScriptFailed";

  /** Inputs. */
  public static final String VAR_QUEUE = "queue";
  public static final String VAR_SCRIPT_SET = "scriptSet";
  public static final String VAR_CONTINUE_ON_FAILURE = "continueOnFailure";
  public static final String VAR_TAKES_IMAGES = "takesImages";
  /** Working state. */
  public static final String VAR_SCRIPT_INDEX = "scriptIndex";
  public static final String VAR_SCRIPTS_DONE = "scriptsDone";
  public static final String VAR_CURRENT_SCRIPT = "currentScript";
  public static final String VAR_CURRENT_SCRIPT_PATH = "currentScriptPath";
  public static final String VAR_SCRIPT_ADDED_AT = "scriptAddedAt";
  public static final String VAR_SCRIPT_STATE = "scriptState";
  /** Outputs: newline-separated "path: reason" of failed scripts, and "path" of scripts that succeeded. */
  public static final String VAR_FAILED_SCRIPTS = "failedScripts";
  public static final String VAR_SCRIPTS_RUN = "scriptsRun";

  public static final String STATE_RUNNING = "RUNNING";
  public static final String STATE_ENDED = "ENDED";

  private RunScriptsIds() {}
}
