package org.lsst.ts.upgrade.runbook.scripts;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.runbook.scripts.*}: how the {@code run-scripts} process waits for ScriptQueue scripts.
 *
 * @param pollInterval the BPMN timer between two looks at a script's outcome
 * @param timeout a script still running after this is treated as failed (raise_m1m3.py hangs at
 *     low elevation on the test stands)
 * @param expectedDuration how long a script usually runs, where {@code expected} names none: past
 *     it a person is asked at once (wait / stop it), long before {@code timeout}
 * @param expected per script path, how long it usually runs (e.g.
 *     {@code upgrade.runbook.scripts.expected[system_wide_shutdown.py]=3m})
 * @param lostAfterPolls polls in a row in which the script's ScriptQueue no longer knows it (not
 *     waiting, not running, not in its history: a restarted queue forgets all three) before the
 *     script counts as lost; also how many times, at least, a script its queue lists as finished with
 *     no end heard is asked for again before a person decides
 * @param endUnheardWait how long, at least (counted in polls), a script its queue lists as finished
 *     may go without its end heard, asked for again on every poll, before a person decides: longer
 *     than any lag of its {@code script} event behind the queue's (the producers' 30 s delivery timeout)
 */
@ConfigurationProperties("upgrade.runbook.scripts")
public record ScriptStepProperties(
    @DefaultValue("2s") Duration pollInterval,
    @DefaultValue("30m") Duration timeout,
    @DefaultValue("5m") Duration expectedDuration,
    Map<String, Duration> expected,
    @DefaultValue("2") int lostAfterPolls,
    @DefaultValue("30s") Duration endUnheardWait) {

  public ScriptStepProperties {
    expected = expected == null ? Map.of() : Map.copyOf(expected);
    endUnheardWait = endUnheardWait == null ? Duration.ofSeconds(30) : endUnheardWait;
    if (lostAfterPolls < 1) {
      throw new IllegalArgumentException("upgrade.runbook.scripts.lost-after-polls must be at least 1, got "
          + lostAfterPolls);
    }
  }

  /** How long the script usually runs (its own figure, else the default). */
  public Duration expectedFor(String scriptPath) {
    return scriptPath == null ? expectedDuration : expected.getOrDefault(scriptPath, expectedDuration);
  }

  /** For the BPMN timer: {@code ${runScriptsSettings.pollInterval}}. */
  public String pollIntervalIso() {
    return pollInterval.toString();
  }
}
