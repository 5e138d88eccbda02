package org.lsst.ts.upgrade.runbook.preflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SummaryState;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The preflight: before anything is changed, one small read of every system the run will act on.
 * Every check runs whatever the others found, so the person sees every problem at once; each
 * problem says what failed, where, and what to do.
 */
@Component
public class PreflightChecks {
  /** A heartbeat younger than this is fresh (CSCs beat at 1 Hz). */
  static final Duration FRESH = Duration.ofSeconds(10);

  private final Love love;
  private final ArgoCd argo;
  private final ClusterCleanup cluster;
  private final SchemaRegistry registry;
  private final CscStates cscs;
  private final RemoteHosts hosts;
  private final ObjectProvider<Notifier> notifier;

  PreflightChecks(Love love, ArgoCd argo, ClusterCleanup cluster, SchemaRegistry registry, CscStates cscs,
      RemoteHosts hosts, ObjectProvider<Notifier> notifier) {
    this.love = love;
    this.argo = argo;
    this.cluster = cluster;
    this.registry = registry;
    this.cscs = cscs;
    this.hosts = hosts;
    this.notifier = notifier;
  }

  /** What was read, for the record, and every problem found. */
  public record Result(List<String> findings, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public Result check(RunPlanBuilder.Scope scope) {
    Site site = scope.site();
    // one part per system (and per host), read side by side, reported in this order
    List<java.util.function.Consumer<Part>> checks = new ArrayList<>();
    if (scope.love()) {
      checks.add(part -> love(site, part.findings(), part.problems()));
    }
    checks.add(part -> kafka(scope, part.findings(), part.problems()));
    if (scope.argocd() && !scope.apps().isEmpty()) {
      checks.add(part -> argoCd(scope, part.findings(), part.problems()));
    }
    if (scope.kubernetes()) {
      checks.add(part -> kubernetes(scope, part.findings(), part.problems()));
    }
    if (scope.schemaRegistry()) {
      checks.add(part -> schemaRegistry(site, part.findings(), part.problems()));
    }
    for (String host : scope.hosts()) {
      checks.add(part -> ssh(site, host, part.findings(), part.problems()));
    }
    checks.add(part -> slack(site, part.findings(), part.problems()));
    return readSideBySide(checks);
  }

  private void love(Site site, List<String> findings, List<String> problems) {
    var e = site.endpoints();
    String where = "LOVE (" + (e == null ? "?" : e.love()) + ")";
    guard(problems, where, "check the LOVE credentials in the environment variables the site file names and that "
        + "LOVE is up", () -> {
          if (love.mayCommand(site.id())) {
            findings.add(where + ": logged in, may command");
          } else {
            problems.add(where + ": the login works but the user may not command the observatory "
                + "(execute_commands): use an operator account");
          }
        });
  }

  private void argoCd(RunPlanBuilder.Scope scope, List<String> findings, List<String> problems) {
    Site site = scope.site();
    var e = site.endpoints();
    String where = "Argo CD (" + (e == null ? "?" : e.argocd()) + ")";
    guard(problems, where, "check the Argo CD token (or account) in the environment variable the site file names, "
        + "renew it if it expired", () -> {
          Set<String> known = new LinkedHashSet<>();
          if (site.argocd().telescopeProject() != null) {
            argo.list(site.id(), site.argocd().telescopeProject()).forEach(a -> known.add(a.name()));
          }
          List<String> missing = new ArrayList<>();
          for (String app : scope.apps()) {
            if (known.contains(app)) {
              continue;
            }
            try {
              if (argo.app(site.id(), app) == null) {
                missing.add(app);
              }
            } catch (org.lsst.ts.upgrade.argocd.ArgoCdException notFound) {
              // Argo CD answers 403 for an app that does not exist as for one the account may not read
              if (notFound.status() == 404 || notFound.status() == 403) {
                missing.add(app);
              } else {
                throw notFound;
              }
            }
          }
          if (missing.isEmpty()) {
            findings.add(where + ": session valid, all " + scope.apps().size() + " apps exist");
          } else {
            problems.add(where + ": app(s) " + String.join(", ", missing) + " do not exist (or the account may not "
                + "read them): fix the site file's argocd section, create the apps, or grant the account access");
          }
        });
  }

  private void kubernetes(RunPlanBuilder.Scope scope, List<String> findings, List<String> problems) {
    Site site = scope.site();
    var e = site.endpoints();
    String where = "Kubernetes (" + (e != null && e.kubernetesApiUrl() != null ? e.kubernetesApiUrl()
        : "context " + (site.kubernetes() == null ? "?" : site.kubernetes().context())) + ")";
    guard(problems, where, "check the kubeconfig context (upgrade.kubernetes.kubeconfig) and the cluster", () -> {
      List<String> p = cluster.accessProblems(site.id(), scope.namespaces(), scope.namespacesToo());
      if (p == null || p.isEmpty()) {
        findings.add(where + ": " + scope.namespaces().size() + " namespaces exist, deletions allowed");
      } else {
        problems.addAll(p);
      }
    });
  }

  private void schemaRegistry(Site site, List<String> findings, List<String> problems) {
    var e = site.endpoints();
    String where = "Schema registry (" + (e == null ? "?" : e.schemaRegistry()) + ")";
    guard(problems, where, "check that the registry is up and reachable from the orchestrator", () ->
        findings.add(where + ": compatibility " + registry.compatibility(site.id())));
  }

  private void ssh(Site site, String host, List<String> findings, List<String> problems) {
    String where = "SSH " + host + site.host(host).map(h -> " (" + h.hostname() + ":" + h.port() + ")").orElse("");
    guard(problems, where, "check the host is up and its key is in upgrade.ssh.known-hosts", () -> {
      var p = hosts.accessProblem(site.id(), host);
      if (p != null && p.isPresent()) {
        problems.add(where + ": " + p.get() + ": bring the host up, or fix its host key in the known hosts if it "
            + "was reinstalled");
      } else {
        findings.add(where + ": reachable, host key known");
      }
    });
  }

  /** What one system's check found. */
  record Part(List<String> findings, List<String> problems) {}

  /**
   * Runs the checks side by side (a Summit preflight is some twenty SSH hosts and six services: one
   * after the other it took seconds), then reports them in their order.
   */
  private Result readSideBySide(List<java.util.function.Consumer<Part>> checks) {
    List<Part> parts = new ArrayList<>();
    List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
    // the run's log context (run id, step) goes with the reads: their log lines say whose they are
    java.util.Map<String, String> logContext = org.slf4j.MDC.getCopyOfContextMap();
    for (var c : checks) {
      Part part = new Part(java.util.Collections.synchronizedList(new ArrayList<>()),
          java.util.Collections.synchronizedList(new ArrayList<>()));
      parts.add(part);
      running.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
        if (logContext != null) {
          org.slf4j.MDC.setContextMap(logContext);
        }
        try {
          c.accept(part);
        } finally {
          org.slf4j.MDC.clear();
        }
      }, READERS));
    }
    for (int i = 0; i < running.size(); i++) {
      try {
        running.get(i).join();
      } catch (java.util.concurrent.CompletionException failed) {
        // each check guards its own reads; this is a defect of the check itself, still told
        parts.get(i).problems().add("preflight check failed: " + failed.getCause());
      }
    }
    List<String> findings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    parts.forEach(p -> {
      findings.addAll(p.findings());
      problems.addAll(p.problems());
    });
    return new Result(findings, problems);
  }

  /** A few threads for the preflight's reads (daemon: they hold nothing when idle). */
  private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newFixedThreadPool(8,
      r -> {
        Thread t = new Thread(r, "preflight-read");
        t.setDaemon(true);
        return t;
      });

  private void slack(Site site, List<String> findings, List<String> problems) {
    Notifier n = notifier.getIfAvailable();
    String slackWhere = "Slack (" + (site.slack() == null ? "no channel" : site.slack().channel()) + ")";
    if (n == null) {
      problems.add(slackWhere + ": no Slack notifier is configured: configure upgrade.slack");
    } else {
      guard(problems, slackWhere, "check the Slack bot token", () -> {
        var p = n.accessProblem(site.id());
        if (p != null && p.isPresent()) {
          problems.add(slackWhere + ": " + p.get());
        } else {
          findings.add(slackWhere + ": token valid");
        }
      });
    }
  }

  private void kafka(RunPlanBuilder.Scope scope, List<String> findings, List<String> problems) {
    Site site = scope.site();
    String where = "CSC monitor (Kafka " + (site.endpoints() == null ? "?" : site.endpoints().kafkaBootstrap()) + ")";
    guard(problems, where, "check the Kafka credentials and that the broker is reachable", () -> {
      if (!cscs.historyRead(site.id())) {
        problems.add(where + ": the monitor has not read the site's Kafka topics yet: check the broker and the "
            + "credentials (GET /api/sites/" + site.id() + "/cscs shows what it sees), then check again");
        return;
      }
      List<CscStatus> all = cscs.snapshot(site.id());
      long fresh = all == null ? 0 : all.stream()
          .filter(s -> s.heartbeatAge() != null && s.heartbeatAge().compareTo(FRESH) <= 0).count();
      if (scope.heartbeatsRequired() && fresh == 0) {
        problems.add(where + ": no fresh heartbeat from any CSC: the monitor's data is stale or the broker is not "
            + "the site's, so every CSC would look OFFLINE: check the broker and the topic subname");
        return;
      }
      findings.add(where + ": fresh heartbeats from " + fresh + " CSCs");
      if (scope.love()) {
        List<String> notEnabled = new ArrayList<>();
        for (CscId q : SitePlan.scriptQueues(site)) {
          CscStatus s = all.stream().filter(x -> x.id().equals(q)).findFirst().orElse(null);
          SummaryState state = s == null ? SummaryState.UNKNOWN : s.effectiveState();
          if (state != SummaryState.ENABLED) {
            notEnabled.add(q + " is " + state);
          }
        }
        if (notEnabled.isEmpty()) {
          findings.add("ScriptQueues: all ENABLED");
        } else {
          problems.add("ScriptQueues (LOVE " + (site.endpoints() == null ? "?" : site.endpoints().love()) + "): "
              + String.join(", ", notEnabled) + ": the run's scripts need them ENABLED: enable them in LOVE");
        }
      }
    });
  }

  /** Runs one check; a failure of the read itself becomes a problem naming the system and what to do. */
  private static void guard(List<String> problems, String where, String todo, Runnable check) {
    try {
      check.run();
    } catch (RuntimeException e) {
      problems.add(where + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()) + ": " + todo);
    }
  }
}
