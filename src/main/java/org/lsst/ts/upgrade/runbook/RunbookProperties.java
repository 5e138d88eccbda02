package org.lsst.ts.upgrade.runbook;

import java.time.Duration;
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
 * @param stillAliveAskAfter how long after the last ScriptQueue went OFFLINE a CSC still alive is put
 *     to a person (while the watch goes on until {@code offlineTimeout}): the heartbeat timeout
 *     (5 s) and a margin (a CSC that stopped beating while reporting STANDBY is OFFLINE by then), so a CSC that did stop is not listed
 * @param bringUpAskAfter how long after the deployment the CSCs not up yet are put to a person
 *     (while the monitor goes on watching until {@code monitorTimeout}): the time CSCs usually take
 *     to come up, so only the ones later than usual are listed
 * @param firstPoll the shortest wait of a poll loop that backs off ({@link Polls}): the first look
 *     after a sync, host job or rebuild started; later looks wait half the time since the start, up
 *     to {@code pollInterval}
 */
@ConfigurationProperties("upgrade.runbook")
public record RunbookProperties(
    @DefaultValue("1") int scriptQueue,
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("10m") Duration offlineTimeout,
    @DefaultValue("30m") Duration monitorTimeout,
    @DefaultValue("8s") Duration stillAliveAskAfter,
    @DefaultValue("5m") Duration bringUpAskAfter,
    @DefaultValue("250ms") Duration firstPoll) {

  public RunbookProperties {
    if (scriptQueue < 1 || scriptQueue > 3) {
      throw new IllegalArgumentException("upgrade.runbook.script-queue must be 1, 2 or 3: " + scriptQueue);
    }
  }

  /** Defaults, for tests and for code that runs without Spring binding. */
  public static RunbookProperties defaults() {
    return new RunbookProperties(1, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
        Duration.ofSeconds(8), Duration.ofMinutes(5), Duration.ofMillis(250));
  }
}
