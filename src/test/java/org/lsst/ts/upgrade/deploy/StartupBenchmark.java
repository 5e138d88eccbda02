package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start to healthy (the rehearsal default, twin included, {@code -Xmx512m}) of the same packaged
 * jar in four launch modes, side by side in one run, each started {@code bench.rounds} times (default
 * 2) in turn on a fresh H2 database: the jar as a newcomer runs it; the same jar extracted by Spring
 * Boot ({@code -Djarmode=tools extract}: plain jars on the class path, no nested-jar loader); that
 * with a class-data-sharing archive trained once by a start that stops after the context refresh
 * ({@code -XX:ArchiveClassesAtExit}, {@code spring.context.exit=onRefresh}); and that with the C1
 * compiler only. A CDS start logs its class loading to a file, to count the classes that came from
 * the archive (none would mean the archive was refused: the benchmark fails). Figures, not
 * assertions; docs/benchmarks.md has them. Opt-in (5 to 10 minutes): {@code ./mvnw -B package
 * -DskipTests && ./mvnw -B failsafe:integration-test failsafe:verify -Dit.test=StartupBenchmark}.
 */
class StartupBenchmark {
  @Test
  void launchModesSideBySide(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
    Path jar = Jvms.jar();
    int rounds = Integer.getInteger("bench.rounds", 2);
    Path extracted = dir.resolve("extracted");
    exec(dir, "the extraction", Jvms.JAVA, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
        extracted.toString());
    Path thin = extracted.resolve(jar.getFileName());
    Path archive = dir.resolve("orchestrator.jsa");
    Path training = Files.createDirectories(dir.resolve("training"));
    long trainStart = System.nanoTime();
    exec(training, "the training start", Jvms.JAVA, "-Xmx512m", "-XX:ArchiveClassesAtExit=" + archive,
        "-Dspring.context.exit=onRefresh", "-jar", thin.toString(), "--server.port=0");
    double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
    assertThat(archive).as("the CDS archive the training start wrote").isRegularFile();

    Map<String, List<String>> modes = new LinkedHashMap<>();
    modes.put("java -Xmx512m -jar target/upgrade-orchestrator.jar (the target's command)",
        List.of(Jvms.JAVA, "-Xmx512m", "-jar", jar.toString()));
    modes.put("the same jar extracted (java -Xmx512m -jar extracted/upgrade-orchestrator.jar)",
        List.of(Jvms.JAVA, "-Xmx512m", "-jar", thin.toString()));
    modes.put("extracted, with the CDS archive (-XX:SharedArchiveFile)",
        List.of(Jvms.JAVA, "-Xmx512m", "-XX:SharedArchiveFile=" + archive, "-jar", thin.toString()));
    modes.put("extracted, CDS archive, C1 only (-XX:TieredStopAtLevel=1)",
        List.of(Jvms.JAVA, "-Xmx512m", "-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1", "-jar",
            thin.toString()));

    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    Map<String, String> fromArchive = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      int n = 0;
      for (var mode : modes.entrySet()) {
        Path work = Files.createDirectories(dir.resolve("round-" + round + "-mode-" + ++n));
        List<String> command = new ArrayList<>(mode.getValue());
        Path classes = work.resolve("class-load.log");
        boolean cds = command.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
        if (cds) {
          command.add(1, "-Xlog:class+load=info:file=" + classes);
        }
        JarStart.Result start = JarStart.run(command, work);
        assertThat(start.healthy()).as(mode.getKey() + " healthy within 5 minutes; last lines:\n"
            + start.lastLines(30)).isTrue();
        seconds.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add(start.healthySeconds());
        System.out.printf("StartupBenchmark: round %d, %s: healthy in %.1f s%n", round, mode.getKey(),
            start.healthySeconds());
        if (cds) {
          long shared;
          long all;
          try (Stream<String> lines = Files.lines(classes)) {
            List<String> loaded = lines.filter(l -> l.contains(" source: ")).toList();
            all = loaded.size();
            shared = loaded.stream().filter(l -> l.contains("source: shared objects file (top)")).count();
          }
          assertThat(shared).as(mode.getKey() + ": classes loaded from the trained archive").isPositive();
          fromArchive.put(mode.getKey(), shared + " of " + all + " classes from the trained archive");
        }
      }
    }

    StringBuilder out = new StringBuilder(String.format(
        "StartupBenchmark: start to healthy (rehearsal default, twin included, -Xmx512m), %d rounds; CDS archive"
            + " trained in %.1f s (%d MB)%n", rounds, trainSeconds, Files.size(archive) >> 20));
    for (var e : seconds.entrySet()) {
      List<Double> s = e.getValue().stream().sorted().toList();
      out.append(String.format("  %-88s median %5.1f s  (%s)%s%n", e.getKey(), median(s),
          String.join(", ", e.getValue().stream().map(v -> String.format("%.1f", v)).toList()),
          fromArchive.containsKey(e.getKey()) ? "; " + fromArchive.get(e.getKey()) : ""));
    }
    out.append(String.format("  load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip()));
    System.out.print(out);
    Files.createDirectories(Path.of("target", "benchmarks"));
    Files.writeString(Path.of("target", "benchmarks", "startup.txt"), out.toString());
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Runs a command to its end (at most 5 minutes); fails with its last lines unless it exits 0. */
  private static void exec(Path dir, String what, String... command) throws Exception {
    Path log = dir.resolve(what.replace(' ', '-') + ".log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(ended && p.exitValue() == 0).as(what + " ended with exit code 0 within 5 minutes (" + log + "):\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))).isTrue();
  }
}
