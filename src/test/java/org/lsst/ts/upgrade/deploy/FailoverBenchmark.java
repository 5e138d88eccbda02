package org.lsst.ts.upgrade.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.RequiresPostgres;

/**
 * Two nodes, one database (issue 14.6) with the production job lock (2 minutes): {@link Failover}'s
 * run, printing the takeover time, from the kill to the first step node B completes (a figure, not
 * an assertion; target: the lock time and one acquisition, docs/benchmarks.md). A benchmark, opt-in
 * (five minutes, most of it the lock time): {@code ./mvnw -B package -DskipTests && ./mvnw -B
 * failsafe:integration-test failsafe:verify -Dit.test=FailoverBenchmark}; {@link FailoverTests}, in
 * the suite, runs the same with a short lock.
 */
@RequiresPostgres
class FailoverBenchmark {

  @Test
  void theOtherNodeFinishesTheRunOfANodeKilledMidRun(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
      throws Exception {
    Duration takeover = Failover.run(dir, null);
    String line = String.format("FailoverBenchmark: node A killed after the plan's approval; node B completed its"
        + " first step of the run %.1f s later (lock time + acquisition)%n", takeover.toMillis() / 1000.0);
    System.out.print(line);
    Files.createDirectories(Path.of("target", "benchmarks"));
    Files.writeString(Path.of("target", "benchmarks", "failover.txt"), line);
  }
}
