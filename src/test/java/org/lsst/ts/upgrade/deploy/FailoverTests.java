package org.lsst.ts.upgrade.deploy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.RequiresPostgres;

/**
 * One failover in the suite (issue 14.6): {@link Failover}'s two nodes on PostgreSQL with a 20 s
 * job lock instead of the production 2 minutes, so the takeover costs the suite seconds, not
 * minutes; node B finishes sending the CSCs OFFLINE after node A's kill -9, without an incident
 * and without adding a shutdown script again. {@link FailoverBenchmark} measures the production
 * lock's takeover.
 */
@RequiresPostgres
class FailoverTests {

  @Test
  void theOtherNodeFinishesTheRunOfANodeKilledMidRun(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
      throws Exception {
    Duration takeover = Failover.run(dir, Duration.ofSeconds(20));
    System.out.printf("FailoverTests: node B completed its first step of the run %.1f s after the kill (lock 20 s)%n",
        takeover.toMillis() / 1000.0);
  }
}
