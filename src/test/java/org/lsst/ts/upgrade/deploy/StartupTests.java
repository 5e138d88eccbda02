package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
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
 * it skips, except under CI.
 */
class StartupTests {
  static final Path JAR = Path.of("target", "upgrade-orchestrator.jar").toAbsolutePath();
  private static final Pattern PORT = Pattern.compile("Tomcat started on port (?:\\(s\\): )?(\\d+)");
  private static final Pattern WARN = Pattern.compile("^\\S+\\s+WARN ");
  private static final String REPORT = "Startup report: ";
  /** The report's last line. */
  private static final String REPORT_END = REPORT + "JVM start to ready";

  @Test
  void theRehearsalDefaultStartsHealthyIn512MbWithFewWarnings(@TempDir Path dir) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      String why = JAR + " was not built (the package phase writes it: ./mvnw verify)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; under CI it is mandatory");
      }
      Assumptions.abort(why + "; skipped outside CI");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toString(), "--server.port=0",
        "--upgrade.startup.report=true")
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("SPRING_PROFILES_ACTIVE");
    long t0 = System.nanoTime();
    Process p = pb.start();
    List<String> warnings = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    List<String> report = new ArrayList<>();
    try {
      int port = -1;
      long healthyNanos = -1;
      HttpClient http = HttpClient.newHttpClient();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while (healthyNanos < 0 && (line = out.readLine()) != null) {
          read(line, lines, warnings, report);
          Matcher m = PORT.matcher(line);
          if (m.find()) {
            port = Integer.parseInt(m.group(1));
          }
          if (port > 0 && line.contains("Started UpgradeOrchestratorApplication")) {
            // healthy = the readiness group answers UP (the probe the chart uses)
            URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
            try {
              await().atMost(Duration.ofMinutes(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                  .until(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(readiness).build(),
                        HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("\"UP\"");
                  });
              healthyNanos = System.nanoTime() - t0;
            } catch (ConditionTimeoutException e) {
              break; // not healthy: the assertion below shows the last lines
            }
          }
          if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
            break;
          }
        }
        if (healthyNanos > 0) {
          // the report was written before readiness turned UP: read on to its last line (a
          // missing report would block: the watchdog ends the process, the assertion below says so)
          var watchdog = CompletableFuture.runAsync(p::destroy, CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS));
          while (report.stream().noneMatch(l -> l.contains(REPORT_END)) && (line = out.readLine()) != null) {
            read(line, lines, warnings, report);
          }
          watchdog.cancel(false);
        }
      }
      assertThat(healthyNanos).as("healthy within 5 minutes; last lines:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))).isPositive();
      System.out.printf("StartupTests: java -Xmx512m -jar (rehearsal default, twin included): healthy %.1f s after the JVM's start, %d WARN lines%n",
          healthyNanos / 1e9, warnings.size());
      // which ones, shortened: a count alone does not say whether the load or a change brought them
      warnings.forEach(l -> System.out.println("StartupTests: WARN " + shortened(l)));
      report.forEach(l -> System.out.println("StartupTests: " + l.substring(l.indexOf(REPORT))));
      assertThat(report).as("the startup report's lines").isNotEmpty().noneMatch(l -> WARN.matcher(l).find());
      assertThat(warnings).as("WARN lines of the start").hasSizeLessThan(20);
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The logger and message of a log line, at most 200 characters. */
  private static String shortened(String line) {
    String s = line.substring(Math.max(0, line.indexOf("] ") + 2)).strip();
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static void read(String line, List<String> lines, List<String> warnings, List<String> report) {
    lines.add(line);
    if (WARN.matcher(line).find()) {
      warnings.add(line);
    }
    if (line.contains(REPORT)) {
      report.add(line);
    }
  }
}
