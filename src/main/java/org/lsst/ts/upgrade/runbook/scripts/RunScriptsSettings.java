package org.lsst.ts.upgrade.runbook.scripts;

import org.springframework.stereotype.Component;

/** Exposes {@link ScriptStepProperties} to BPMN expressions ({@code ${runScriptsSettings.pollInterval}}). */
@Component
public class RunScriptsSettings {
  private final ScriptStepProperties properties;

  public RunScriptsSettings(ScriptStepProperties properties) {
    this.properties = properties;
  }

  /** ISO-8601 duration for the wait timer, e.g. {@code PT2S}. */
  public String getPollInterval() {
    return properties.pollInterval().toString();
  }

  /**
   * The soft deadline of a script, for the timer of {@code run-script}'s "script overdue" event
   * sub-process: {@code ${runScriptsSettings.expectedFor(scriptPath)}}.
   */
  public String expectedFor(String scriptPath) {
    return properties.expectedFor(scriptPath).toString();
  }

  ScriptStepProperties properties() {
    return properties;
  }
}
