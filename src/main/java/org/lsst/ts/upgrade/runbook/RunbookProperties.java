package org.lsst.ts.upgrade.runbook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.runbook.*}: how the processes behave.
 *
 * @param scriptQueue index of the ScriptQueue that runs the scripts (1 = MTQueue, as in the seed);
 *     it is the queue sent OFFLINE last
 * @param pollInterval the period of every poll loop (CSC states, syncs, scripts, cRIO rebuilds)
 * @param offlineTimeout how long CSCs get to go OFFLINE before a person is asked
 * @param monitorTimeout how long the monitor step waits for every CSC to come up (seed: ~30 min)
 * @param m2ClosedLoopSites sites whose M2 must be switched to closed-loop control before the
 *     shutdown (a fact the site file cannot express)
 */
@ConfigurationProperties("upgrade.runbook")
public record RunbookProperties(
    @DefaultValue("1") int scriptQueue,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("10m") Duration offlineTimeout,
    @DefaultValue("30m") Duration monitorTimeout,
    @DefaultValue("summit") List<String> m2ClosedLoopSites) {

  public RunbookProperties {
    if (scriptQueue < 1 || scriptQueue > 3) {
      throw new IllegalArgumentException("upgrade.runbook.script-queue must be 1, 2 or 3: " + scriptQueue);
    }
    m2ClosedLoopSites = m2ClosedLoopSites == null ? List.of() : List.copyOf(m2ClosedLoopSites);
  }

  /** Defaults, for tests and for code that runs without Spring binding. */
  public static RunbookProperties defaults() {
    return new RunbookProperties(1, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
        List.of("summit"));
  }
}
