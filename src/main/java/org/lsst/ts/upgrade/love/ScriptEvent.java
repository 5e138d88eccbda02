package org.lsst.ts.upgrade.love;

/**
 * One ScriptQueue {@code logevent_script} event: the state of script {@code scriptSalIndex} on
 * {@code ScriptQueue:<queue>}.
 */
public record ScriptEvent(int queue, int scriptSalIndex, String path, boolean standard, int processState,
    int scriptState) {

  public boolean ended() {
    return ScriptStates.ended(processState);
  }
}
