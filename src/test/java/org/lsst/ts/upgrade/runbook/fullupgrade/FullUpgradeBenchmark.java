package org.lsst.ts.upgrade.runbook.fullupgrade;

import org.lsst.ts.upgrade.runbook.runs.Runs;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.ActionLog.Action;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Benchmark (not a test: Surefire only runs {@code *Tests}): a full Summit rehearsal with the
 * autopilot's delay at zero and the latency model on (time scale {@code benchmark.time-scale},
 * default 0.05). Run with
 * {@code ./mvnw -B test -Dtest=FullUpgradeBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; it writes to
 * {@code target/benchmarks/full-upgrade.txt}
 * the makespan, the union of the twin's action intervals over the makespan, the sum of the action
 * durations over the makespan, and the engine's overhead per step (p50, p99) from the history.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "upgrade.rehearsal.time-scale=${benchmark.time-scale:0.05}",
    "upgrade.rehearsal.autopilot-delay=0s",
    "upgrade.runbook.poll-interval=${benchmark.poll-interval:1s}",
    "upgrade.runbook.first-poll=${benchmark.first-poll:50ms}",
    "upgrade.runbook.offline-timeout=30s",
    "upgrade.runbook.monitor-timeout=10m"})
@ActiveProfiles("rehearsal")
class FullUpgradeBenchmark {
  @Autowired Runs runs;
  @Autowired Autopilot autopilot;
  @Autowired ActionLog actions;
  @Autowired HistoryService history;
  @Autowired org.springframework.core.env.Environment env;

  @Test
  void summitRehearsal() throws java.io.IOException {
    String site = "summit";
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "full-upgrade");
    body.put("site", site);
    body.put("cycle", "Cycle 40");
    body.put("breakingSchemaChange", true);
    body.put("phalanxRef", "tickets/DM-12345");
    body.put("dockerComposeOpsBranch", "cycle40");
    body.put("loveIntegrationToolsBranch", "cycle40");
    var started = runs.start(body, null);
    await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(started.processInstanceId()).finished().count() == 1);
    HistoricProcessInstance pi = history.createHistoricProcessInstanceQuery()
        .processInstanceId(started.processInstanceId()).singleResult();
    Instant t0 = pi.getStartTime().toInstant();
    Instant t1 = pi.getEndTime().toInstant();
    double makespan = Duration.between(t0, t1).toMillis() / 1000.0;

    // what the twin did, and the requests it answered (reads are the site's time too, not actions)
    List<Action> acts = java.util.stream.Stream.concat(actions.actions(site).stream(),
            actions.servingTimes(site).stream().map(r -> new Action(0, r.site(), "request", r.site(), r.system(), Map.of(),
                r.start(), r.end())))
        .filter(a -> a.end() != null && !a.start().isBefore(t0) && !a.start().isAfter(t1))
        .filter(a -> !a.system().equals("autopilot"))
        .toList();
    double sum = acts.stream().mapToLong(a -> Duration.between(a.start(), a.end()).toMillis()).sum() / 1000.0;
    double union = union(acts) / 1000.0;

    List<Gap> gapList = overheads(pi.getId());
    List<Long> gaps = gapList.stream().map(Gap::millis).toList();
    StringBuilder out = new StringBuilder();
    out.append(String.format("%n=== full-upgrade benchmark (Summit rehearsal, time scale %s, autopilot delay 0) ===%n",
        System.getProperty("benchmark.time-scale", "0.05")));
    out.append(String.format("makespan                          %.1f s%n", makespan));
    long answered = acts.stream().filter(a -> a.system().equals("request")).count();
    out.append(String.format("twin actions                      %d (and %d other requests answered)%n",
        acts.size() - answered, answered));
    out.append(String.format("union of action intervals/makespan %.2f%n", union / makespan));
    out.append(String.format("sum of action durations/makespan  %.2f%n", sum / makespan));
    // idle while a wait for CSC states was open: the site's time (heartbeats at 1 Hz, a CSC's own
    // transition), which the orchestrator cannot shorten, set apart from its own
    long cscWaits = overlap(idle(acts), history.createHistoricProcessInstanceQuery().rootProcessInstanceId(pi.getId())
        .processDefinitionKey(org.lsst.ts.upgrade.runbook.monitor.AwaitCscStatesIds.KEY).finished().list());
    out.append(String.format("idle waiting for CSC states        %.1f s (heartbeats, transitions: the site's time)%n",
        cscWaits / 1000.0));
    out.append(String.format("union/(makespan - that)            %.2f%n", union / (makespan - cscWaits / 1000.0)));
    out.append(String.format("engine overhead per step          p50 %d ms, p99 %d ms (%d jobs)%n",
        percentile(gaps, 50), percentile(gaps, 99), gaps.size()));
    for (String kind : List.of("async", "timer", "retried")) {
      List<Long> k = gapList.stream().filter(g -> g.kind().equals(kind)).map(Gap::millis).toList();
      out.append(String.format("  %-5s                           p50 %d ms, p99 %d ms (%d jobs)%n", kind,
          percentile(k, 50), percentile(k, 99), k.size()));
    }
    out.append(String.format("job acquisition                   wait-time-in-millis %s, max-wait %s%n",
        env.getProperty("camunda.bpm.job-execution.wait-time-in-millis"),
        env.getProperty("camunda.bpm.job-execution.max-wait")));
    out.append("longest engine delays:\n");
    gapList.stream().sorted(Comparator.comparing(Gap::millis).reversed()).limit(5)
        .forEach(g -> out.append(String.format("  %7d ms  %s (%s)%n", g.millis(), g.activity(), g.kind())));
    out.append("longest stretches with no twin action (what ended before, what began after):\n");
    List<HistoricActivityInstance> steps = history.createHistoricProcessInstanceQuery()
        .rootProcessInstanceId(pi.getId()).list().stream()
        .flatMap(p -> history.createHistoricActivityInstanceQuery().processInstanceId(p.getId()).finished().list().stream())
        .filter(a -> !List.of("callActivity", "subProcess", "multiInstanceBody")
            .contains(a.getActivityType())).toList();
    idle(acts).stream().sorted(Comparator.comparing(Idle::millis).reversed()).limit(Long.getLong("benchmark.stretches", 8))
        .forEach(i -> out.append(String.format("  %7d ms  after %s, before %s%n             the run was at: %s%n",
            i.millis(), i.before(), i.after(), String.join(", ", waitingAt(steps, i)))));
    // the three longest, step by step: what the engine did while the twin did nothing
    // -Dbenchmark.detail-step=<activity id>: the stretches at that step instead of the longest
    String detailStep = System.getProperty("benchmark.detail-step");
    idle(acts).stream().filter(i -> detailStep == null || waitingAt(steps, i).stream().anyMatch(a -> a.startsWith(detailStep + " ")))
        .sorted(Comparator.comparing(Idle::millis).reversed()).limit(Long.getLong("benchmark.details", 3)).forEach(i -> {
      out.append(String.format("  during the %d ms stretch (ms from its start; after %s, before %s):%n", i.millis(),
          i.before(), i.after()));
      steps.stream().filter(a -> !a.getEndTime().toInstant().isBefore(i.from()) && !a.getStartTime().toInstant().isAfter(i.to()))
          .sorted(Comparator.comparing(HistoricActivityInstance::getStartTime)).limit(40)
          .forEach(a -> out.append(String.format("    %6d .. %6d  %s%n",
              Duration.between(i.from(), a.getStartTime().toInstant()).toMillis(),
              Duration.between(i.from(), a.getEndTime().toInstant()).toMillis(), a.getActivityId())));
    });
    // all idle stretches, summed per step under way (a stretch counts for each step under way in it)
    Map<String, Long> idleAt = new java.util.TreeMap<>();
    List<Idle> all = idle(acts);
    all.forEach(i -> {
      List<String> at = waitingAt(steps, i);
      (at.isEmpty() ? List.of("(no single step)") : at).forEach(step -> idleAt.merge(step, i.millis(), Long::sum));
    });
    out.append(String.format("idle in all: %d ms in %d stretches; by the step under way:%n",
        all.stream().mapToLong(Idle::millis).sum(), all.size()));
    idleAt.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
        .forEach(e -> out.append(String.format("  %7d ms  %s%n", e.getValue(), e.getKey())));
    // the short gaps between steps (the engine's hand-offs) against the long waits
    out.append("idle stretches by length:\n");
    long[] bounds = {20, 100, 500, Long.MAX_VALUE};
    long lower = 0;
    for (long upper : bounds) {
      long lo = lower;
      List<Long> in = all.stream().map(Idle::millis).filter(m -> m >= lo && m < upper).toList();
      out.append(String.format("  %-14s %4d stretches, %6d ms%n",
          upper == Long.MAX_VALUE ? ">= " + lo + " ms" : lo + "-" + upper + " ms", in.size(),
          in.stream().mapToLong(Long::longValue).sum()));
      lower = upper;
    }
    out.append("====================================================================\n");
    // surefire sends test output to a file: the figures also go where the README's command shows them
    System.out.print(out);
    java.nio.file.Path file = java.nio.file.Path.of("target", "benchmarks", "full-upgrade.txt");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, out);
    autopilot.setEnabled(false);
  }

  static long union(List<Action> acts) {
    List<Action> sorted = acts.stream().sorted(Comparator.comparing(Action::start)).toList();
    long total = 0;
    Instant curStart = null;
    Instant curEnd = null;
    for (Action a : sorted) {
      if (curEnd == null || a.start().isAfter(curEnd)) {
        if (curEnd != null) {
          total += Duration.between(curStart, curEnd).toMillis();
        }
        curStart = a.start();
        curEnd = a.end();
      } else if (a.end().isAfter(curEnd)) {
        curEnd = a.end();
      }
    }
    if (curEnd != null) {
      total += Duration.between(curStart, curEnd).toMillis();
    }
    return total;
  }

  /** How much of the idle stretches fell inside the given process instances (merged: each millisecond once). */
  static long overlap(List<Idle> idle, List<HistoricProcessInstance> waits) {
    long total = 0;
    for (Idle i : idle) {
      Instant covered = i.from();
      for (HistoricProcessInstance w : waits.stream().sorted(Comparator.comparing(HistoricProcessInstance::getStartTime))
          .toList()) {
        Instant from = w.getStartTime().toInstant().isAfter(covered) ? w.getStartTime().toInstant() : covered;
        Instant to = w.getEndTime().toInstant().isBefore(i.to()) ? w.getEndTime().toInstant() : i.to();
        if (to.isAfter(from)) {
          total += Duration.between(from, to).toMillis();
          covered = to;
        }
      }
    }
    return total;
  }

  /** A stretch of the run in which the twin did nothing: the orchestrator's own time (or a designed wait). */
  record Idle(long millis, String before, String after, Instant from, Instant to) {}

  /** The steps of the run that were under way during most of an idle stretch (what the run waited at). */
  static List<String> waitingAt(List<HistoricActivityInstance> steps, Idle idle) {
    long half = idle.millis() / 2;
    return steps.stream().filter(a -> {
      Instant start = a.getStartTime().toInstant();
      Instant end = a.getEndTime().toInstant();
      Instant from = start.isAfter(idle.from()) ? start : idle.from();
      Instant to = end.isBefore(idle.to()) ? end : idle.to();
      return Duration.between(from, to).toMillis() >= half;
    }).map(a -> a.getActivityId() + " (" + a.getActivityType() + ")").distinct().limit(6).toList();
  }

  static List<Idle> idle(List<Action> acts) {
    List<Action> sorted = acts.stream().sorted(Comparator.comparing(Action::start)).toList();
    List<Idle> idle = new ArrayList<>();
    Action last = null;
    for (Action a : sorted) {
      if (last != null && a.start().isAfter(last.end())) {
        idle.add(new Idle(Duration.between(last.end(), a.start()).toMillis(), describe(last), describe(a), last.end(),
            a.start()));
      }
      if (last == null || a.end().isAfter(last.end())) {
        last = a;
      }
    }
    return idle;
  }

  private static String describe(Action a) {
    return a.system() + " " + a.action() + " " + a.target();
  }

  /** How long one job of the run waited for the job executor, and what it continued. */
  record Gap(long millis, String activity, String kind) {}

  /**
   * Per job of the run (every step behind an async continuation, and every timer), the engine's
   * own delay: from the moment the job could run (created, or due for a timer) to the moment its
   * step started (an async continuation) or its timer fired (the timer activity ended). Waits the
   * process asks for (a timer's duration, a user task) are not counted.
   */
  List<Gap> overheads(String rootId) {
    List<String> instances = history.createHistoricProcessInstanceQuery().rootProcessInstanceId(rootId).list().stream()
        .map(HistoricProcessInstance::getId).toList();
    List<Gap> gaps = new ArrayList<>();
    for (String pid : instances) {
      List<HistoricActivityInstance> acts = history.createHistoricActivityInstanceQuery().processInstanceId(pid)
          .finished().list();
      // jobs that failed at least once (an optimistic-locking conflict re-runs after ConflictRetryPlugin's delay)
      java.util.Set<String> failed = new java.util.HashSet<>();
      history.createHistoricJobLogQuery().processInstanceId(pid).failureLog().list()
          .forEach(l -> failed.add(l.getJobId()));
      for (HistoricJobLog created : history.createHistoricJobLogQuery().processInstanceId(pid).creationLog().list()) {
        Instant ready = created.getTimestamp().toInstant();
        if (created.getJobDueDate() != null && created.getJobDueDate().toInstant().isAfter(ready)) {
          ready = created.getJobDueDate().toInstant();
        }
        final Instant from = ready;
        boolean timer = created.getJobDefinitionType() != null && created.getJobDefinitionType().startsWith("timer");
        String kind = failed.contains(created.getJobId()) ? "retried" : timer ? "timer" : "async";
        // the activity instance this job started (async-before) or ended (timer): the first one after it was ready
        acts.stream()
            .filter(a -> a.getActivityId().equals(created.getActivityId()))
            .map(a -> (timer ? a.getEndTime() : a.getStartTime()).toInstant())
            .filter(t -> !t.isBefore(from.minusMillis(5)))
            .min(Comparator.naturalOrder())
            .ifPresent(t -> gaps.add(new Gap(Math.max(0, Duration.between(from, t).toMillis()), created.getActivityId(),
                kind)));
      }
    }
    return gaps;
  }

  static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> s = values.stream().sorted().toList();
    int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(i, s.size() - 1)));
  }
}
