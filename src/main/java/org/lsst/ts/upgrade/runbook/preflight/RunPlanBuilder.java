package org.lsst.ts.upgrade.runbook.preflight;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.fullupgrade.PlanFullUpgrade;
import org.lsst.ts.upgrade.runbook.hoststeps.RunHostCommands;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.incremental.PlanIncrementalUpgrade;
import org.lsst.ts.upgrade.runbook.offline.PlanCscsOffline;
import org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds;
import org.lsst.ts.upgrade.runbook.recovery.PlanOsK8sRecovery;
import org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds;
import org.lsst.ts.upgrade.runbook.runs.RunPlanner;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.runbook.scripts.ScriptSets;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingPlan;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Host;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Builds a run's plan: the processes' own plan steps dry-run on the start variables (what the run
 * will decide, from the same code), the site file, and the live cluster read by a dry-run clean-up
 * (what exists now). Reads only. Also says what the run will touch ({@link Scope}), for the preflight.
 */
@Component
public class RunPlanBuilder implements RunPlanner {
  static final String FULL = FullUpgradeIds.KEY;
  static final String INCREMENTAL = IncrementalUpgradeIds.KEY;
  static final String RECOVERY = OsK8sRecoveryIds.KEY;
  static final String MINIMAL = MinimalTestingIds.KEY;

  // the plan's sections, in order
  static final String RUN = "The run";
  static final String SCRIPTS = "Scripts (LOVE, in this order)";
  static final String KUBERNETES = "Kubernetes objects deleted (what exists now)";
  static final String ARGOCD = "Argo CD apps synced, in order";
  static final String HOSTS = "SSH commands per host";
  static final String NOTICES = "Slack notices";
  static final String MONITOR = "CSC states the monitor waits for";

  private final Sites sites;
  private final ClusterCleanup cleanup;
  private final PlanFullUpgrade planFull;
  private final PlanCscsOffline planOffline;
  private final PlanIncrementalUpgrade planIncremental;
  private final PlanOsK8sRecovery planRecovery;
  private final MinimalTestingPlan planMinimal;
  private final ScriptSets scriptSets;
  private final ObjectProvider<RepositoryService> repository;

  RunPlanBuilder(Sites sites, ClusterCleanup cleanup, PlanFullUpgrade planFull, PlanCscsOffline planOffline,
      PlanIncrementalUpgrade planIncremental, PlanOsK8sRecovery planRecovery, MinimalTestingPlan planMinimal,
      ScriptSets scriptSets, ObjectProvider<RepositoryService> repository) {
    this.sites = sites;
    this.cleanup = cleanup;
    this.planFull = planFull;
    this.planOffline = planOffline;
    this.planIncremental = planIncremental;
    this.planRecovery = planRecovery;
    this.planMinimal = planMinimal;
    this.scriptSets = scriptSets;
    this.repository = repository;
  }

  /**
   * What a run touches, for the preflight: the systems it acts on and, for each, what must exist.
   *
   * @param apps Argo CD apps it syncs, in order
   * @param namespaces Kubernetes namespaces it cleans
   * @param hosts SSH hosts it runs commands on
   */
  public record Scope(String process, Site site, boolean love, boolean argocd, List<String> apps, boolean kubernetes,
      List<String> namespaces, boolean namespacesToo, boolean schemaRegistry, boolean heartbeatsRequired,
      List<String> hosts) {}

  /** The plan's variables (the dry-run plan steps'), its scope and its sections. */
  public record Planned(Map<String, Object> variables, Scope scope, Plan plan) {}

  @Override
  public Plan plan(String process, Map<String, Object> startVariables) {
    return planned(process, startVariables, repository.getIfAvailable(), true).plan();
  }

  /** The scope of the run only (no cluster read). */
  public Scope scope(String process, Map<String, Object> startVariables) {
    return planned(process, startVariables, null, false).scope();
  }

  /**
   * @param repository where the processes are deployed (their Slack notices are read from the
   *     models); null: notices not listed
   * @param live read the cluster (what the clean-up would delete now)
   */
  public Planned planned(String process, Map<String, Object> startVariables, RepositoryService repository, boolean live) {
    Map<String, Object> start = new LinkedHashMap<>(startVariables);
    start.putIfAbsent(RUN_ID, "(dry run)");
    Site site = sites.require(String.valueOf(start.get(SITE)));
    Map<String, Object> vars = switch (process) {
      case FULL -> DryRunExecution.run(start, planFull, planOffline);
      case INCREMENTAL -> DryRunExecution.run(start, planIncremental, planOffline);
      case RECOVERY -> DryRunExecution.run(start, planRecovery);
      case MINIMAL -> DryRunExecution.run(start, planMinimal);
      default -> throw new IllegalArgumentException("unknown process '" + process + "'");
    };
    RunVariables v = RunVariables.of(DryRunExecution.of(vars));
    Scope scope = scope(process, site, v);
    List<Section> sections = new ArrayList<>();
    sections.add(new Section(RUN, runLines(process, site, v)));
    sections.add(new Section(SCRIPTS, scripts(process, site, v)));
    if (scope.kubernetes()) {
      sections.add(new Section(KUBERNETES, live ? deletions(process, site, v)
          : List.of("(read from the cluster when the plan is shown)")));
    }
    sections.add(new Section(ARGOCD, argoLines(process, v)));
    sections.add(new Section(HOSTS, hostLines(process, site, v)));
    sections.add(new Section(NOTICES, repository == null ? List.of("(not listed)") : notices(process, site, repository)));
    sections.add(new Section(MONITOR, waits(process, v)));
    return new Planned(vars, scope, new Plan(process, site.id(), sections));
  }

  private static Scope scope(String process, Site site, RunVariables v) {
    List<String> apps = new ArrayList<>(apps(process, v));
    Set<String> namespaces = new LinkedHashSet<>();
    var k = site.kubernetes();
    if (k != null && (process.equals(FULL) || process.equals(RECOVERY))) {
      namespaces.addAll(k.cscNamespaces());
      namespaces.add(k.loveNamespace());
      namespaces.add(k.uwsNamespace());
    } else if (process.equals(INCREMENTAL)) {
      v.list(IncrementalUpgradeIds.VAR_JOB_TARGETS).forEach(t -> namespaces.add(t.substring(0, t.indexOf('/'))));
    }
    boolean acts = !process.equals(MINIMAL);
    return new Scope(process, site, !process.equals(RECOVERY), acts, apps, acts, List.copyOf(namespaces),
        process.equals(FULL), process.equals(FULL) || process.equals(INCREMENTAL), !process.equals(RECOVERY),
        List.copyOf(hostCommands(process, site, v).keySet()));
  }

  private static List<String> runLines(String process, Site site, RunVariables v) {
    List<String> l = new ArrayList<>();
    l.add(process + " at " + site.displayName() + " (" + site.id() + ")");
    for (String key : List.of(CYCLE, REVISION, BREAKING_SCHEMA_CHANGE, PHALANX_REF, DOCKER_COMPOSE_OPS_BRANCH,
        LOVE_INTEGRATION_TOOLS_BRANCH, CSCS, TELESCOPES, STARTED_BY)) {
      if (v.has(key) && !v.list(key).isEmpty()) {
        l.add(key + ": " + String.join(", ", v.list(key)));
      }
    }
    if (process.equals(FULL) && v.flag(BREAKING_SCHEMA_CHANGE)) {
      l.add("schema registry: compatibility set to NONE for the deployment, then restored to the level read now");
    }
    return l;
  }

  private List<String> scripts(String process, Site site, RunVariables v) {
    List<String> l = new ArrayList<>();
    String queue = "ScriptQueue:" + v.integer(SCRIPT_QUEUE, 1);
    if (process.equals(FULL) || process.equals(INCREMENTAL)) {
      l.add(script(queue, v.stringOr(SHUTDOWN_SCRIPT_PATH, "?"), v.stringOr(SHUTDOWN_SCRIPT_CONFIG_JSON, null),
          "send the CSCs OFFLINE"));
      if (v.has(QUEUES_SCRIPT_CONFIG_JSON)) {
        l.add(script(queue, ScriptConfigs.SET_SUMMARY_STATE, v.string(QUEUES_SCRIPT_CONFIG_JSON),
            "the other ScriptQueues OFFLINE"));
      }
      l.add(queue + ": cmd_exitControl by command (the queue that ran the scripts goes last)");
    }
    if (process.equals(FULL) && v.has(ENABLE_SCRIPT_CONFIG_JSON)) {
      l.add(script(queue, ScriptConfigs.SET_SUMMARY_STATE, v.string(ENABLE_SCRIPT_CONFIG_JSON),
          "enable the site's CSCs at the end"));
    }
    if (process.equals(INCREMENTAL)) {
      if (v.has(IncrementalUpgradeIds.VAR_WATCHER_BACK_CONFIG_JSON)) {
        l.add(script(queue, ScriptConfigs.SET_SUMMARY_STATE, v.string(IncrementalUpgradeIds.VAR_WATCHER_BACK_CONFIG_JSON),
            "the Watcher ENABLED again"));
      }
      if (v.has(IncrementalUpgradeIds.VAR_CYCLE_CONFIG_JSON)) {
        l.add(script(queue, ScriptConfigs.SET_SUMMARY_STATE, v.string(IncrementalUpgradeIds.VAR_CYCLE_CONFIG_JSON),
            "cycle the affected CSCs"));
      }
    }
    boolean minimal = process.equals(MINIMAL) || ((process.equals(INCREMENTAL) || process.equals(RECOVERY))
        && v.flag(IncrementalUpgradeIds.VAR_TEST_STAND));
    if (minimal && site.minimalTesting() != null) {
      boolean images = site.minimalTesting().takesImages();
      List<String> telescopes = new ArrayList<>(v.list(TELESCOPES));
      if (process.equals(MINIMAL)) {
        telescopes.clear();
        if (v.flag(MinimalTestingIds.VAR_TEST_AUXTEL)) {
          telescopes.add("auxtel");
        }
        if (v.flag(MinimalTestingIds.VAR_TEST_MAINTEL)) {
          telescopes.add("maintel");
        }
      }
      String prefix = process.equals(MINIMAL) ? "" : "minimal testing: ";
      if (telescopes.contains("auxtel")) {
        for (String set : List.of(ScriptSets.AUXTEL_ENABLE, ScriptSets.AUXTEL_TRACK, ScriptSets.AUXTEL_SAFE)) {
          scriptSets.resolve(set, images, List.of()).forEach(r -> l.add(prefix + script("ScriptQueue:" + ScriptSets.AUXTEL_QUEUE, r)));
        }
      }
      if (telescopes.contains("maintel")) {
        for (String set : List.of(ScriptSets.MAINTEL_ENABLE, ScriptSets.MAINTEL_TRACK, ScriptSets.MAINTEL_SAFE)) {
          scriptSets.resolve(set, images, List.of()).forEach(r -> l.add(prefix + script("ScriptQueue:" + ScriptSets.MAINTEL_QUEUE, r)));
        }
      }
    }
    return l;
  }

  private static String script(String queue, String path, String configJson, String what) {
    return queue + ": " + path + " (" + what + ")" + (configJson == null ? "" : ", configuration " + configJson);
  }

  private static String script(String queue, ScriptRequest r) {
    return queue + ": " + r.path() + (r.description() == null ? "" : " (" + r.description() + ")")
        + (r.config() == null || r.config().isEmpty() ? "" : ", configuration " + ScriptConfigs.toJson(r.config()));
  }

  private List<String> deletions(String process, Site site, RunVariables v) {
    List<CleanupReport> reports = new ArrayList<>();
    List<String> l = new ArrayList<>();
    switch (process) {
      case FULL -> {
        reports.add(cleanup.cleanupAll(site.id(), true));
        reports.add(cleanup.cleanupNublado(site.id(), true));
      }
      case RECOVERY -> reports.add(cleanup.cleanupAll(site.id(), true));
      case INCREMENTAL -> {
        for (String t : v.list(IncrementalUpgradeIds.VAR_JOB_TARGETS)) {
          int slash = t.indexOf('/');
          reports.add(cleanup.deleteJobsOfClass(site.id(), t.substring(0, slash), t.substring(slash + 1), true));
        }
      }
      default -> { }
    }
    // grouped per kind and namespace: a Summit clean-up is a hundred Jobs
    Map<String, List<String>> groups = new TreeMap<>();
    for (CleanupReport r : reports) {
      if (r == null) {
        continue;
      }
      for (String o : r.deleted()) {
        int last = o.lastIndexOf('/');
        groups.computeIfAbsent(last < 0 ? o : o.substring(0, last), g -> new ArrayList<>()).add(o.substring(last + 1));
      }
    }
    groups.forEach((g, names) -> l.add(g + " (" + names.size() + "): " + String.join(", ", names)));
    return l;
  }

  private static List<String> apps(String process, RunVariables v) {
    List<String> apps = new ArrayList<>();
    if (process.equals(FULL) || process.equals(RECOVERY)) {
      apps.addAll(v.list(PLATFORM_APPS));
      if (process.equals(FULL) && v.has(SASQUATCH_APP)) {
        apps.add(v.string(SASQUATCH_APP));
      }
      apps.addAll(v.list(TELESCOPE_FIRST_APPS));
      apps.addAll(v.list(TELESCOPE_OTHER_APPS));
    } else if (process.equals(INCREMENTAL)) {
      apps.addAll(v.list(IncrementalUpgradeIds.VAR_AFFECTED_APPS));
    }
    return apps;
  }

  private static List<String> argoLines(String process, RunVariables v) {
    List<String> l = new ArrayList<>();
    if (process.equals(FULL) || process.equals(RECOVERY)) {
      l.add("platform, one after the other: " + String.join(", ", v.list(PLATFORM_APPS)));
      if (process.equals(FULL) && v.has(SASQUATCH_APP)) {
        l.add(v.string(SASQUATCH_APP) + " (when the operator confirms the sasquatch sync)");
      }
      l.add("telescope, first one after the other: " + String.join(", ", v.list(TELESCOPE_FIRST_APPS)));
      l.add("telescope, then in parallel: " + String.join(", ", v.list(TELESCOPE_OTHER_APPS)));
    } else if (process.equals(INCREMENTAL)) {
      l.add("one after the other: " + String.join(", ", v.list(IncrementalUpgradeIds.VAR_AFFECTED_APPS)));
    }
    return l;
  }

  /** Host → its commands, in the order the run runs them. */
  private static Map<String, List<String>> hostCommands(String process, Site site, RunVariables v) {
    Map<String, List<String>> byHost = new LinkedHashMap<>();
    if (process.equals(FULL)) {
      for (RunHostCommands.Step step : List.of(RunHostCommands.Step.CAMERA_SHUTDOWN, RunHostCommands.Step.BARE_METAL_SHUTDOWN,
          RunHostCommands.Step.UPDATE_REPOS, RunHostCommands.Step.ESS_UPDATE)) {
        add(byHost, RunHostCommands.plan(step, site, v), step);
      }
      for (Host h : SitePlan.crios(site)) {
        h.rebuild().forEach(c -> byHost.computeIfAbsent(h.name(), x -> new ArrayList<>()).add(c + "   [cRIO rebuild, detached]"));
      }
      add(byHost, RunHostCommands.plan(RunHostCommands.Step.CRIO_STARTUP, site, v), RunHostCommands.Step.CRIO_STARTUP);
      add(byHost, RunHostCommands.plan(RunHostCommands.Step.BARE_METAL_STARTUP, site, v), RunHostCommands.Step.BARE_METAL_STARTUP);
    } else if (process.equals(RECOVERY) && v.flag(OsK8sRecoveryIds.VAR_SUMMIT_RECOVERY)) {
      add(byHost, RunHostCommands.plan(RunHostCommands.Step.CRIO_RECOVERY, site, v), RunHostCommands.Step.CRIO_RECOVERY);
      site.host(v.stringOr(RecoverSummitHostsIds.VAR_RESTART_HOST, RecoverSummitHostsIds.AZAR03)).ifPresent(h -> {
        List<String> c = byHost.computeIfAbsent(h.name(), x -> new ArrayList<>());
        h.shutdown().forEach(s -> c.add(s + "   [restart the host's CSCs]"));
        h.startup().forEach(s -> c.add(s + "   [restart the host's CSCs]"));
      });
      site.host(v.stringOr(RecoverSummitHostsIds.VAR_REBOOT_HOST, RecoverSummitHostsIds.AZAR02)).ifPresent(h ->
          byHost.computeIfAbsent(h.name(), x -> new ArrayList<>()).add("sudo reboot   [reboot, then wait until it is back]"));
    }
    return byHost;
  }

  private static void add(Map<String, List<String>> byHost, Map<String, List<HostCommand>> step, RunHostCommands.Step name) {
    step.forEach((host, commands) -> commands.forEach(c -> byHost.computeIfAbsent(host, x -> new ArrayList<>())
        .add(shown(c) + "   [" + name.name().toLowerCase().replace('_', ' ') + "]")));
  }

  private static String shown(HostCommand c) {
    String s = c.template();
    for (var e : c.params().entrySet()) {
      s = s.replace("{" + e.getKey() + "}", e.getValue());
    }
    return s;
  }

  private static List<String> hostLines(String process, Site site, RunVariables v) {
    List<String> l = new ArrayList<>();
    hostCommands(process, site, v).forEach((host, commands) -> {
      String address = site.host(host).map(h -> h.hostname() == null ? "" : " (" + h.hostname() + ")").orElse("");
      l.add(host + address + ": " + String.join("; ", commands));
    });
    return l;
  }

  /** The notices of the process and every process it calls, from the deployed models. */
  private static List<String> notices(String process, Site site, RepositoryService repository) {
    List<String> l = new ArrayList<>();
    // the notices every run posts first, those of a mishap ("only if ...") last
    List<String> kinds = new ArrayList<>(collectNotices(process, repository, new LinkedHashSet<>(), new LinkedHashSet<>()));
    kinds.sort(java.util.Comparator.comparing(k -> NOTICE_WHEN.getOrDefault(k, "").startsWith("only if")));
    kinds.forEach(kind -> {
      boolean camera = kind.startsWith("CAMERA_");
      String channel = site.slack() == null ? "(no channel)" : camera ? site.slack().cameraTeamChannel() : site.slack().channel();
      l.add(kind + " to " + channel + ": " + NOTICE_WHEN.getOrDefault(kind, "when the process reaches it"));
    });
    return l;
  }

  static final Map<String, String> NOTICE_WHEN = Map.of(
      "START", "when the plan is approved and the control system is about to go down",
      "CAMERA_STAGE1", "when the camera OCS bridges are stopped (the camera team may start Stage 1)",
      "CAMERA_STAGE2", "when the control system is deployed (the camera team may proceed to Stage 2)",
      "UNHEALTHY_CSCS", "only if CSCs are not in working order after the deployment",
      "NUBLADO_AVAILABLE", "when no integration testing follows: Nublado may be used again",
      "SUMMARY", "at the end: the run's summary",
      "ABORTED", "only if an operator aborts the run",
      "SYNC_SKIPPED", "only if a failed Argo CD sync is skipped");

  private static Set<String> collectNotices(String key, RepositoryService repository, Set<String> seen, Set<String> kinds) {
    if (!seen.add(key)) {
      return kinds;
    }
    ProcessDefinition d = repository.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult();
    if (d == null) {
      return kinds;
    }
    BpmnModelInstance model = repository.getBpmnModelInstance(d.getId());
    for (ServiceTask t : model.getModelElementsByType(ServiceTask.class)) {
      if ("${postNotice}".equals(t.getCamundaDelegateExpression())) {
        for (CamundaInputParameter p : model.getModelElementsByType(CamundaInputParameter.class)) {
          if (NOTICE_KIND.equals(p.getCamundaName()) && isInside(p, t) && p.getTextContent() != null) {
            kinds.add(p.getTextContent().trim());
          }
        }
      }
    }
    for (CallActivity c : model.getModelElementsByType(CallActivity.class)) {
      if (c.getCalledElement() != null && !c.getCalledElement().contains("$")) {
        collectNotices(c.getCalledElement(), repository, seen, kinds);
      }
    }
    return kinds;
  }

  private static boolean isInside(org.camunda.bpm.model.xml.instance.ModelElementInstance e,
      org.camunda.bpm.model.xml.instance.ModelElementInstance ancestor) {
    for (var p = e.getParentElement(); p != null; p = p.getParentElement()) {
      if (p == ancestor) {
        return true;
      }
    }
    return false;
  }

  private static List<String> waits(String process, RunVariables v) {
    List<String> l = new ArrayList<>();
    if (process.equals(FULL) || process.equals(INCREMENTAL)) {
      l.addAll(grouped("after the shutdown", v.list(OFFLINE_EXPECTATIONS)));
    }
    if (process.equals(FULL) || process.equals(RECOVERY)) {
      l.addAll(grouped("after the deployment", v.list(MONITOR_EXPECTATIONS)));
    }
    if (process.equals(INCREMENTAL)) {
      l.addAll(grouped("after the sync", v.list(IncrementalUpgradeIds.VAR_AFFECTED_EXPECTATIONS)));
    }
    return l;
  }

  /** "CSC=STATE|STATE" entries as one line per expected state. */
  private static List<String> grouped(String when, List<String> expectations) {
    Map<String, List<String>> byState = new LinkedHashMap<>();
    for (String e : expectations) {
      int eq = e.indexOf('=');
      byState.computeIfAbsent(e.substring(eq + 1), s -> new ArrayList<>()).add(e.substring(0, eq));
    }
    List<String> l = new ArrayList<>();
    byState.forEach((state, cscs) -> l.add(when + ", " + state.replace("|", " or ") + " (" + cscs.size() + "): "
        + String.join(", ", cscs)));
    return l;
  }
}
