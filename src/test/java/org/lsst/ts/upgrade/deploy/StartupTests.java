package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started as a newcomer starts it ({@code java -Xmx512m -jar}, the rehearsal
 * default, twin included) in its own JVM: it becomes healthy with a 512 MB heap, and its start logs
 * fewer than 20 WARN lines (a flood hides the one that matters). Prints the time from the JVM's
 * start to healthy (a figure, not an assertion: the machines are noisy; see docs/benchmarks.md),
 * and where the start went: the application's startup report ({@code upgrade.startup.report=true},
 * INFO lines logged when it is ready, so before readiness answers UP).
 * Runs in failsafe's integration-test phase, after the package phase wrote the jar; without the jar
 * it skips, except under CI. {@link StartupBenchmark} (opt-in) compares launch modes.
 */
class StartupTests {
  @Test
  void theRehearsalDefaultStartsHealthyIn512MbWithFewWarnings(@TempDir Path dir) throws Exception {
    Path jar = Jvms.jar();
    JarStart.Result start = JarStart.run(List.of(Jvms.JAVA, "-Xmx512m", "-jar", jar.toString()), dir);
    assertThat(start.healthy()).as("healthy within 5 minutes; last lines:\n" + start.lastLines(30)).isTrue();
    System.out.printf("StartupTests: java -Xmx512m -jar (rehearsal default, twin included): healthy %.1f s after the JVM's start, %d WARN lines%n",
        start.healthySeconds(), start.warnings().size());
    // which ones, shortened: a count alone does not say whether the load or a change brought them
    start.warnings().forEach(l -> System.out.println("StartupTests: WARN " + JarStart.shortened(l)));
    start.report().forEach(l -> System.out.println("StartupTests: " + JarStart.Result.reportText(l)));
    assertThat(start.report()).as("the startup report's lines").isNotEmpty();
    assertThat(start.reportAtWarn()).as("a startup report line logged at WARN").isFalse();
    assertThat(start.warnings()).as("WARN lines of the start").hasSizeLessThan(20);
  }
}
