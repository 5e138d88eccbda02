package org.lsst.ts.upgrade.love;

import java.util.List;

/** SAL enumerations of the ScriptQueue {@code script} event (ts_xml). */
public final class ScriptStates {
  /** ScriptProcessState: UNKNOWN 0 ... TERMINATED 7. */
  public static final List<String> PROCESS = List.of(
      "UNKNOWN", "LOADING", "CONFIGURED", "RUNNING", "DONE", "LOADFAILED", "CONFIGURE_FAILED", "TERMINATED");
  /** ScriptState: UNKNOWN 0 ... CONFIGURE_FAILED 11. */
  public static final List<String> SCRIPT = List.of(
      "UNKNOWN", "UNCONFIGURED", "CONFIGURED", "RUNNING", "PAUSED", "ENDING", "STOPPING", "FAILING", "DONE",
      "STOPPED", "FAILED", "CONFIGURE_FAILED");

  public static final int P_LOADING = 1;
  public static final int P_CONFIGURED = 2;
  public static final int P_RUNNING = 3;
  public static final int P_DONE = 4;
  public static final int P_LOADFAILED = 5;
  public static final int P_CONFIGURE_FAILED = 6;
  public static final int P_TERMINATED = 7;

  public static final int S_UNCONFIGURED = 1;
  public static final int S_CONFIGURED = 2;
  public static final int S_RUNNING = 3;
  public static final int S_STOPPING = 6;
  public static final int S_DONE = 8;
  public static final int S_STOPPED = 9;
  public static final int S_FAILED = 10;
  public static final int S_CONFIGURE_FAILED = 11;

  private ScriptStates() {}

  public static String processName(int code) {
    return code >= 0 && code < PROCESS.size() ? PROCESS.get(code) : "UNKNOWN(" + code + ")";
  }

  public static String scriptName(int code) {
    return code >= 0 && code < SCRIPT.size() ? SCRIPT.get(code) : "UNKNOWN(" + code + ")";
  }

  /** The script process has ended: nothing more will happen to it. */
  public static boolean ended(int processState) {
    return processState >= P_DONE;
  }

  /** Success only when the process is DONE and the script is DONE. */
  public static boolean succeeded(int processState, int scriptState) {
    return processState == P_DONE && scriptState == S_DONE;
  }

  /**
   * The ScriptQueue pauses itself when a script fails (script FAILED, or it could not be loaded or
   * configured); a script stopped or terminated on request does not pause it.
   */
  public static boolean pausesQueue(int processState, int scriptState) {
    return ended(processState) && !succeeded(processState, scriptState)
        && (scriptState == S_FAILED || processState == P_LOADFAILED || processState == P_CONFIGURE_FAILED);
  }
}
