package org.lsst.ts.upgrade.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos benchmark (issue 14.5): a Summit full upgrade against the standalone twin, the
 * orchestrator killed with SIGKILL at {@code chaos.kills} moments (default 10) spread over the run —
 * every stage hit at least once from 9 kills on, each kill a seeded random delay (up to
 * {@code chaos.max-delay-ms}, default 2000) after its stage's start — and restarted each time on the
 * same H2 file. Prints the restarts after which the run went on, whether it completed, whether the
 * site ended as after a deployment, and the side effects that ran more than once for one logical
 * step ({@link SideEffects}); target: N/N, completed, correct, 0 duplicates. Opt-in (a figure, not
 * in the suite; {@link ChaosTests} is the fast version):
 * {@code ./mvnw -B package -DskipTests && ./mvnw -B failsafe:integration-test failsafe:verify
 * -Dit.test=ChaosBenchmark}; then {@code cat target/benchmarks/chaos.txt} (the twin's action log of the run:
 * {@code chaos-actions.json}). Other properties:
 * {@code chaos.site} (summit), {@code chaos.seed} (14), {@code chaos.lock-ms} (the job lock, 20000),
 * {@code chaos.time-scale} (the twin's, 0.01).
 */
class ChaosBenchmark {

  @Test
  void summitFullUpgradeKilledNTimes(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    Jvms.jar();
    int n = Integer.getInteger("chaos.kills", 10);
    var plan = ChaosRun.spread(n, ChaosRun.STAGES, Long.getLong("chaos.seed", 14),
        Duration.ofMillis(Long.getLong("chaos.max-delay-ms", 2000)));
    ChaosRun.Result r = new ChaosRun(dir, System.getProperty("chaos.site", "summit"),
        Duration.ofMillis(Long.getLong("chaos.lock-ms", 20000)),
        Double.parseDouble(System.getProperty("chaos.time-scale", "0.01")))
        .keepActionLog(Path.of("target", "benchmarks", "chaos-actions.json")).run(plan);
    String report = r.report();
    System.out.print(report);
    Path file = Path.of("target", "benchmarks", "chaos.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
  }
}
