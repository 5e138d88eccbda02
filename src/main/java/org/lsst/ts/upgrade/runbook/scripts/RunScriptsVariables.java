package org.lsst.ts.upgrade.runbook.scripts;

import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import static org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds.*;

import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Typed access to the {@code run-scripts} process's variables. */
final class RunScriptsVariables {
  private static final int MAX_TEXT = 3500;
  private final DelegateExecution execution;

  RunScriptsVariables(DelegateExecution execution) {
    this.execution = execution;
  }

  String site() {
    return required(RunProcesses.VAR_SITE, String.class);
  }

  int queue() {
    return ((Number) required(VAR_QUEUE, Number.class)).intValue();
  }

  String scriptSet() {
    return required(VAR_SCRIPT_SET, String.class);
  }

  boolean takesImages() {
    return !Boolean.FALSE.equals(execution.getVariable(VAR_TAKES_IMAGES));
  }

  boolean continueOnFailure() {
    return Boolean.TRUE.equals(execution.getVariable(VAR_CONTINUE_ON_FAILURE));
  }

  @SuppressWarnings("unchecked")
  List<String> cscs() {
    Object v = execution.getVariable(RunProcesses.VAR_CSCS);
    return v == null ? List.of() : (List<String>) v;
  }

  int scriptIndex() {
    Object v = execution.getVariable(VAR_SCRIPT_INDEX);
    return v == null ? 0 : ((Number) v).intValue();
  }

  int currentScript() {
    return ((Number) required(VAR_CURRENT_SCRIPT, Number.class)).intValue();
  }

  String currentScriptPath() {
    return required(VAR_CURRENT_SCRIPT_PATH, String.class);
  }

  java.time.Instant scriptAddedAt() {
    return required(VAR_SCRIPT_ADDED_AT, Date.class).toInstant();
  }

  /** Appends a line to a newline-separated text variable (kept short enough for a string variable). */
  void append(String name, String line) {
    Object old = execution.getVariable(name);
    String text = old == null || old.toString().isEmpty() ? line : old + "\n" + line;
    if (text.length() > MAX_TEXT) {
      text = text.substring(text.length() - MAX_TEXT);
    }
    execution.setVariable(name, text);
  }

  private <T> T required(String name, Class<T> type) {
    Object v = execution.getVariable(name);
    if (!type.isInstance(v)) {
      throw new IllegalStateException("process variable '" + name + "' must be a " + type.getSimpleName()
          + " but is " + (v == null ? "missing" : v.getClass().getSimpleName()));
    }
    return type.cast(v);
  }
}
