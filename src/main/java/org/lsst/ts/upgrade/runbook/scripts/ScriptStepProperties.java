package org.lsst.ts.upgrade.runbook.scripts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.runbook.scripts.*}: how the {@code run-scripts} process waits for ScriptQueue scripts.
 *
 * @param pollInterval the BPMN timer between two looks at a script's outcome
 * @param timeout a script still running after this is treated as failed (raise_m1m3.py hangs at
 *     low elevation on the test stands)
 */
@ConfigurationProperties("upgrade.runbook.scripts")
public record ScriptStepProperties(
    @DefaultValue("2s") Duration pollInterval,
    @DefaultValue("30m") Duration timeout) {

  /** For the BPMN timer: {@code ${runScriptsSettings.pollInterval}}. */
  public String pollIntervalIso() {
    return pollInterval.toString();
  }
}
