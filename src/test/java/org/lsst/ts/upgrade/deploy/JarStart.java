package org.lsst.ts.upgrade.deploy;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One start of the application in its own JVM ({@code --server.port=0}, the rehearsal default, the
 * startup report on), timed from the JVM's start to {@code /actuator/health/readiness} UP (the probe
 * the chart uses), then stopped. {@link StartupTests} checks a start; {@link StartupBenchmark}
 * compares launch modes.
 */
final class JarStart {
  static final String REPORT = "Startup report: ";
  /** The report's last line. */
  private static final String REPORT_END = REPORT + "JVM start to ready";
  private static final Pattern PORT = Pattern.compile("Tomcat started on port (?:\\(s\\): )?(\\d+)");
  private static final Pattern WARN = Pattern.compile("^\\S+\\s+WARN ");

  /**
   * What a start showed: {@code healthyNanos} is negative when it did not become healthy within five
   * minutes ({@code lines} then ends with what it logged last).
   */
  record Result(long healthyNanos, List<String> lines, List<String> warnings, List<String> report) {
    boolean healthy() {
      return healthyNanos > 0;
    }

    double healthySeconds() {
      return healthyNanos / 1e9;
    }

    String lastLines(int n) {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** A report line from "Startup report: " on. */
    static String reportText(String line) {
      return line.substring(line.indexOf(REPORT));
    }

    boolean reportAtWarn() {
      return report.stream().anyMatch(l -> WARN.matcher(l).find());
    }
  }

  private JarStart() {}

  /**
   * Runs {@code command} (a java command line; this adds the port and the report) in {@code dir},
   * without {@code SPRING_PROFILES_ACTIVE}, until healthy and the startup report is read, then stops it.
   */
  static Result run(List<String> command, Path dir) throws Exception {
    List<String> full = new ArrayList<>(command);
    full.add("--server.port=0");
    full.add("--upgrade.startup.report=true");
    ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("SPRING_PROFILES_ACTIVE");
    long t0 = System.nanoTime();
    Process p = pb.start();
    List<String> warnings = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    List<String> report = new ArrayList<>();
    long healthyNanos = -1;
    try {
      int port = -1;
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
              break; // not healthy: the caller shows the last lines
            }
          }
          if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(5)) {
            break;
          }
        }
        if (healthyNanos > 0) {
          // the report was written before readiness turned UP: read on to its last line (a
          // missing report would block: the watchdog ends the process, the caller's assertion says so)
          var watchdog = CompletableFuture.runAsync(p::destroy, CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS));
          while (report.stream().noneMatch(l -> l.contains(REPORT_END)) && (line = out.readLine()) != null) {
            read(line, lines, warnings, report);
          }
          watchdog.cancel(false);
        }
      }
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    return new Result(healthyNanos, lines, warnings, report);
  }

  /** The logger and message of a log line, at most 200 characters. */
  static String shortened(String line) {
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
