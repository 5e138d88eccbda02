package org.lsst.ts.upgrade.deploy;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * A full upgrade against the standalone twin with the orchestrator killed ({@code kill -9}) at
 * given moments and restarted each time on the same H2 file (issue 14.5): the moments are the
 * starts of the run's stages (the stage's process instance in the history), each plus a delay, so
 * every stage named is hit; the people are {@link PeopleStandIn}. What it returns: per kill, the
 * stages and steps in progress, the restart time and whether the run went on after it; whether the
 * run completed at its normal end; the CSCs against what a deployment leaves (the twin's states);
 * the side effects that ran more than once for one logical step ({@link SideEffects}).
 */
final class ChaosRun {
  /** The stages of a full upgrade (its call activities), in their order. */
  static final List<String> STAGES = List.of("preflight", "prepare-and-announce", "send-cscs-offline",
      "shut-down-and-clean-up", "update-configuration", "redeploy", "camera-services", "bring-up-and-monitor",
      "enable-and-close");
  private static final DateTimeFormatter REST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
      .withZone(ZoneOffset.UTC);

  /** Kill {@code delay} after the stage's start. */
  record Kill(String stage, Duration delay) {}

  record KillRecord(int n, Kill planned, double atSeconds, List<String> stagesInProgress, List<String> stepsInProgress,
      double restartSeconds, boolean wentOn, double wentOnSeconds) {}

  record Result(String site, int planned, List<KillRecord> kills, boolean completed, String state, String endActivity,
      double makespanSeconds, List<String> incidents, List<String> finalStateProblems, int cscs,
      List<SideEffects.Count> sideEffects, long tasksCompleted, Map<String, Integer> tasksByForm) {

    int duplicates() {
      return SideEffects.duplicates(sideEffects);
    }

    long wentOn() {
      return kills.stream().filter(KillRecord::wentOn).count();
    }

    String report() {
      StringBuilder b = new StringBuilder();
      b.append(String.format("%n=== chaos: %s full upgrade, orchestrator killed (kill -9) %d times, restarted each time ===%n",
          site, planned));
      for (KillRecord k : kills) {
        b.append(String.format("kill %2d at %6.1f s  (%s + %d ms)  stages: %s%n", k.n(), k.atSeconds(), k.planned().stage(),
            k.planned().delay().toMillis(), k.stagesInProgress()));
        b.append(String.format("         steps in progress: %s%n", k.stepsInProgress()));
        b.append(String.format("         restarted in %.1f s; run went on: %s%s%n", k.restartSeconds(), k.wentOn() ? "yes" : "NO",
            k.wentOn() ? String.format(" (a step completed %.1f s after the restart)", k.wentOnSeconds()) : ""));
      }
      b.append(String.format("restarts after which the run went on  %d / %d%n", wentOn(), planned));
      b.append(String.format("run completed                         %s (state %s, end %s), makespan %.1f s%n",
          completed ? "yes" : "NO", state, endActivity, makespanSeconds));
      b.append(String.format("incidents                             %s%n", incidents.isEmpty() ? "none" : incidents));
      b.append(String.format("final site state correct              %s (%d CSCs)%s%n", finalStateProblems.isEmpty() ? "yes" : "NO",
          cscs, finalStateProblems.isEmpty() ? "" : " " + finalStateProblems));
      b.append(String.format("tasks completed by the people         %d %s%n", tasksCompleted, tasksByForm));
      for (SideEffects.Count c : sideEffects) {
        b.append(String.format("  %-27s %4d steps, %d ran more than once%s%n", c.kind(), c.steps(), c.repeated().size(),
            c.repeated().isEmpty() ? "" : " " + c.repeated()));
      }
      b.append(String.format("duplicated side effects               %d%n", duplicates()));
      b.append("=====================================================================\n");
      return b.toString();
    }
  }

  private final Path dir;
  private final String site;
  private final Duration lockTime;
  private final double timeScale;

  ChaosRun(Path dir, String site, Duration lockTime, double timeScale) {
    this.dir = dir;
    this.site = site;
    this.lockTime = lockTime;
    this.timeScale = timeScale;
  }

  /** Where kills beyond one a stage go: the longest stages, with the most remote steps. */
  static final List<String> LONG_STAGES = List.of("redeploy", "shut-down-and-clean-up", "bring-up-and-monitor",
      "send-cscs-offline");

  /**
   * {@code n} kills spread over the stages: every stage once when n >= the stages (the extra ones in
   * {@link #LONG_STAGES}), else evenly spaced stages; the delays from a seeded random.
   */
  static List<Kill> spread(int n, List<String> stages, long seed, Duration maxDelay) {
    Random random = new Random(seed);
    List<Kill> kills = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String stage = n < stages.size() ? stages.get((int) ((long) i * stages.size() / n))
          : i < stages.size() ? stages.get(i) : LONG_STAGES.get((i - stages.size()) % LONG_STAGES.size());
      kills.add(new Kill(stage, Duration.ofMillis((long) (random.nextDouble() * maxDelay.toMillis()))));
    }
    // in the order of the stages, so each kill waits for a later (or the same) stage
    kills.sort(java.util.Comparator.comparingInt(k -> stages.indexOf(k.stage())));
    return kills;
  }

  /** Where the run's twin action log is written (null: nowhere), to count again without a run. */
  private Path actionLogCopy;

  ChaosRun keepActionLog(Path file) {
    this.actionLogCopy = file;
    return this;
  }

  Result run(List<Kill> plan) throws Exception {
    try (Jvms jvms = new Jvms(dir)) {
      Jvms.Twin twin = jvms.startTwin(List.of("--upgrade.rehearsal.time-scale=" + timeScale));
      Sites sites = new Sites(new SiteProperties(twin.out().resolve("sites"), false));
      Site siteModel = sites.require(site);
      long firstSeq = lastSeq(jvms, twin);
      Path work = dir.resolve("orchestrator");
      int port = Jvms.freePort();
      String api = "http://127.0.0.1:" + port;
      // poll loops at 1 s (as the benchmarks); the job lock shortened: a job locked by the killed JVM
      // is taken up again only when its lock expires (docs/operations.md, job locks and crashes)
      Map<String, String> extra = Map.of("SPRING_APPLICATION_JSON", "{\"upgrade.runbook.poll-interval\":\"1s\","
          + "\"camunda.bpm.job-execution.lock-time-in-millis\":" + lockTime.toMillis() + "}");
      Process orchestrator = jvms.startOrchestrator(work, twin, port, "0", "production", extra);
      try (PeopleStandIn people = new PeopleStandIn(jvms, api, twin, sites).start()) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("process", "full-upgrade");
        body.put("site", site);
        body.put("cycle", "Cycle 40");
        body.put("breakingSchemaChange", true);
        body.put("phalanxRef", "tickets/DM-12345");
        if (site.equals("summit")) {
          body.put("dockerComposeOpsBranch", "cycle40");
          body.put("loveIntegrationToolsBranch", "cycle40");
        }
        HttpResponse<String> started = jvms.post(api + "/api/runs", Jvms.ADMIN, Jvms.JSON.writeValueAsString(body));
        if (started.statusCode() != 201) {
          throw new IllegalStateException("the run did not start: " + started.statusCode() + " " + started.body());
        }
        String pid = Jvms.JSON.readTree(started.body()).get("processInstanceId").asText();
        Instant t0 = Instant.now();

        List<KillRecord> kills = new ArrayList<>();
        int n = 0;
        for (Kill k : plan) {
          n++;
          if (!awaitStage(jvms, api, pid, k.stage())) {
            break; // the run ended (or stopped) before this stage
          }
          Thread.sleep(k.delay().toMillis());
          List<String> stages = new ArrayList<>();
          for (JsonNode p : json(jvms, api + "/engine-rest/history/process-instance?unfinished=true")) {
            if (!p.path("processDefinitionKey").asText().equals("full-upgrade")) {
              stages.add(p.path("processDefinitionKey").asText());
            }
          }
          List<String> steps = new ArrayList<>();
          for (JsonNode a : json(jvms, api + "/engine-rest/history/activity-instance?unfinished=true")) {
            if (!a.path("activityType").asText().equals("callActivity") && !a.path("activityType").asText().equals("multiInstanceBody")) {
              steps.add(a.path("activityId").asText());
            }
          }
          Instant killedAt = Instant.now();
          orchestrator.destroyForcibly(); // SIGKILL
          if (!orchestrator.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the orchestrator did not die within 30 s of SIGKILL");
          }
          orchestrator = jvms.startOrchestrator(work, twin, port, String.valueOf(n), "production", extra);
          Instant ready = Instant.now();
          double wentOn = awaitProgress(jvms, api, pid, ready);
          kills.add(new KillRecord(n, k, secs(t0, killedAt), stages, steps, secs(killedAt, ready), wentOn >= 0, wentOn));
        }

        String state = "?";
        List<String> incidents = new ArrayList<>();
        try {
          await("the run completes").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(1))
              .ignoreExceptions().until(() -> {
                for (JsonNode i : json(jvms, api + "/engine-rest/incident")) {
                  incidents.add(i.path("activityId").asText() + ": " + i.path("incidentMessage").asText());
                }
                return !incidents.isEmpty() || !json(jvms, api + "/engine-rest/history/process-instance/" + pid)
                    .path("state").asText().equals("ACTIVE");
              });
        } catch (ConditionTimeoutException e) {
          // reported as not completed, with what is still open
        }
        JsonNode hpi = json(jvms, api + "/engine-rest/history/process-instance/" + pid);
        state = hpi.path("state").asText();
        String end = "";
        for (JsonNode a : json(jvms, api + "/engine-rest/history/activity-instance?processInstanceId=" + pid
            + "&activityType=noneEndEvent")) {
          end = a.path("activityId").asText();
        }
        double makespan = hpi.hasNonNull("durationInMillis") ? hpi.get("durationInMillis").asLong() / 1000.0
            : secs(t0, Instant.now());
        boolean completed = state.equals("COMPLETED") && end.equals(FullUpgradeIds.END_UPGRADE_DONE);

        JsonNode cscs = Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/cscs?site=" + site, Jvms.TWIN).body());
        List<String> problems = finalStateProblems(siteModel, cscs);
        JsonNode actions = Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/actions?site=" + site, Jvms.TWIN).body());
        List<JsonNode> ofRun = new ArrayList<>();
        actions.forEach(a -> {
          if (a.path("seq").asLong() > firstSeq) {
            ofRun.add(a);
          }
        });
        if (actionLogCopy != null) {
          java.nio.file.Files.createDirectories(actionLogCopy.toAbsolutePath().getParent());
          Jvms.JSON.writerWithDefaultPrettyPrinter().writeValue(actionLogCopy.toFile(), ofRun);
        }
        return new Result(site, plan.size(), kills, completed, state, end, makespan, List.copyOf(new java.util.LinkedHashSet<>(incidents)),
            problems, cscs.size(), SideEffects.count(Jvms.JSON.valueToTree(ofRun), siteModel), people.completed(),
            people.byForm());
      }
    }
  }

  private static long lastSeq(Jvms jvms, Jvms.Twin twin) throws Exception {
    long max = 0;
    for (JsonNode a : Jvms.JSON.readTree(jvms.get(twin.control() + "/rehearsal/actions", Jvms.TWIN).body())) {
      max = Math.max(max, a.path("seq").asLong());
    }
    return max;
  }

  /** True once a process instance of the stage has started; false if the run ended first. */
  private static boolean awaitStage(Jvms jvms, String api, String pid, String stage) {
    boolean[] reached = new boolean[1];
    await("the stage " + stage).atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> {
          reached[0] = json(jvms, api + "/engine-rest/history/process-instance/count?processDefinitionKey=" + stage)
              .path("count").asLong() > 0;
          return reached[0] || !json(jvms, api + "/engine-rest/history/process-instance/" + pid).path("state").asText()
              .equals("ACTIVE");
        });
    return reached[0];
  }

  /** Seconds from the restart to the first step of the run completed after it; -1 if none within the lock time + 2 min. */
  private double awaitProgress(Jvms jvms, String api, String pid, Instant ready) {
    String after = URLEncoder.encode(REST_TIME.format(ready), StandardCharsets.UTF_8);
    Instant[] first = new Instant[1];
    try {
      await("a step of the run completed after the restart").atMost(lockTime.plusMinutes(2))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            JsonNode done = json(jvms, api + "/engine-rest/history/activity-instance?finished=true&finishedAfter=" + after
                + "&sortBy=endTime&sortOrder=asc&maxResults=1");
            if (!done.isEmpty()) {
              first[0] = Instant.parse(done.get(0).get("endTime").asText().replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
              return true;
            }
            return !json(jvms, api + "/engine-rest/history/process-instance/" + pid).path("state").asText().equals("ACTIVE");
          });
    } catch (ConditionTimeoutException e) {
      return -1;
    }
    return first[0] == null ? 0 : Math.max(0, secs(ready, first[0]));
  }

  /**
   * Every CSC against what a deployment leaves (as {@code FinalStates}): the site's enable-at-end
   * state, else the monitor's expectation ({@link SitePlan#monitorExpectations}); a CSC whose process
   * does not run is OFFLINE, and never ALIVE.
   */
  static List<String> finalStateProblems(Site site, JsonNode cscs) {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    cscs.forEach(c -> byId.put(c.path("id").asText(), c));
    List<String> problems = new ArrayList<>();
    for (String e : SitePlan.monitorExpectations(site)) {
      CscId id = CscId.parse(e.substring(0, e.indexOf('=')));
      List<String> expected = List.of(e.substring(e.indexOf('=') + 1).split("\\|"));
      var atEnd = site.enableAtEnd().stream()
          .filter(x -> x.csc().equals(id.toString()) || (x.csc().endsWith(":*") && x.csc().startsWith(id.component() + ":")))
          .findFirst();
      JsonNode c = byId.get(id.toString());
      if (c == null) {
        problems.add(id + " missing on the twin");
        continue;
      }
      boolean running = c.path("running").asBoolean();
      String state = running ? c.path("state").asText() : "OFFLINE";
      boolean ok = atEnd.isPresent() ? state.equals(atEnd.get().state()) && running
          : expected.contains(state) && (running || !expected.contains("ALIVE"));
      if (!ok) {
        problems.add(id + " " + state + (running ? "" : " (not running)") + ", expected "
            + (atEnd.isPresent() ? atEnd.get().state() : String.join("|", expected)));
      }
    }
    return problems;
  }

  private static JsonNode json(Jvms jvms, String url) throws Exception {
    HttpResponse<String> r = jvms.get(url, Jvms.ADMIN);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return Jvms.JSON.readTree(r.body());
  }

  private static double secs(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
