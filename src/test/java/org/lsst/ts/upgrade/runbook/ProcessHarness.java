package org.lsst.ts.upgrade.runbook;

import org.lsst.ts.upgrade.runbook.cleanup.CleanUpCluster;
import org.lsst.ts.upgrade.runbook.cleanup.DeleteCscJobs;
import org.lsst.ts.upgrade.runbook.engine.RequireConfirmation;
import org.lsst.ts.upgrade.runbook.fullupgrade.CheckHeldStates;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.fullupgrade.PlanFullUpgrade;
import org.lsst.ts.upgrade.runbook.fullupgrade.ValidateHeldStatesDecision;
import org.lsst.ts.upgrade.runbook.hoststeps.CheckCrioRebuilds;
import org.lsst.ts.upgrade.runbook.hoststeps.RunHostCommands;
import org.lsst.ts.upgrade.runbook.hoststeps.StartCrioRebuilds;
import org.lsst.ts.upgrade.runbook.incremental.CheckNewTopics;
import org.lsst.ts.upgrade.runbook.incremental.PlanIncrementalUpgrade;
import org.lsst.ts.upgrade.runbook.monitor.CheckCscStates;
import org.lsst.ts.upgrade.runbook.notices.PostNotice;
import org.lsst.ts.upgrade.runbook.offline.ExitRunningQueue;
import org.lsst.ts.upgrade.runbook.offline.PlanCscsOffline;
import org.lsst.ts.upgrade.runbook.offline.RecordHandledByHand;
import org.lsst.ts.upgrade.runbook.recovery.PlanOsK8sRecovery;
import org.lsst.ts.upgrade.runbook.recovery.RecoveryHosts;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.lsst.ts.upgrade.runbook.schema.CompatibilityRestorePlugin;
import org.lsst.ts.upgrade.runbook.schema.RecordCompatibility;
import org.lsst.ts.upgrade.runbook.schema.RelaxCompatibility;
import org.lsst.ts.upgrade.runbook.schema.RestoreCompatibility;
import org.lsst.ts.upgrade.runbook.scripts.AddScript;
import org.lsst.ts.upgrade.runbook.scripts.CheckScript;
import org.lsst.ts.upgrade.runbook.scripts.RunScriptsAddNext;
import org.lsst.ts.upgrade.runbook.scripts.RunScriptsCheck;
import org.lsst.ts.upgrade.runbook.scripts.RunScriptsSettings;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.runbook.scripts.ScriptSets;
import org.lsst.ts.upgrade.runbook.scripts.ScriptStepProperties;
import org.lsst.ts.upgrade.runbook.sync.CheckAppSync;
import org.lsst.ts.upgrade.runbook.sync.DefaultAppLists;
import org.lsst.ts.upgrade.runbook.sync.StartAppSync;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingCancelled;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingPlan;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingSummary;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.HostResult;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup.CleanupReport;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * An in-memory Camunda engine (H2, no job executor: tests run the jobs) with the runbook's
 * delegates wired to Mockito mocks of the capabilities. The mocks behave like a small, obedient
 * site ({@link #states}): scripts and commands change the CSC states they would change; tests
 * override single answers to make a path happen. User tasks are completed with their form's
 * default values (what the rehearsal autopilot does), plus per-task overrides.
 */
public final class ProcessHarness {
  static final ObjectMapper JSON = new ObjectMapper();

  public final CscStates cscStates = mock(CscStates.class);
  public final Love love = mock(Love.class);
  public final ArgoCd argo = mock(ArgoCd.class);
  public final ClusterCleanup cleanup = mock(ClusterCleanup.class);
  public final SchemaRegistry registry = mock(SchemaRegistry.class);
  public final RemoteHosts hosts = mock(RemoteHosts.class);
  public final Notifier notifier = mock(Notifier.class);
  public final org.lsst.ts.upgrade.csc.CscTopics topics = mock(org.lsst.ts.upgrade.csc.CscTopics.class);
  final Sites sites = new Sites(new SiteProperties(null));
  final RunbookProperties properties = new RunbookProperties(1, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
  public final ProcessEngine engine;
  /** Boot ids of a rebooted host before and after its reboot. */
  public static final String BOOT_BEFORE = "00000000-0000-4000-8000-00000000b001";
  public static final String BOOT_AFTER = "00000000-0000-4000-8000-00000000b002";

  /** The fake site's CSC states (effective = reported here). */
  public final Map<CscId, SummaryState> states = new ConcurrentHashMap<>();
  /** CSCs that ignore OFFLINE (stay STANDBY with heartbeats). */
  public final List<CscId> ignoresOffline = new ArrayList<>();
  public String compatibility = "FORWARD";
  public final List<String> completedTasks = new ArrayList<>();
  public final AtomicInteger scriptIndex = new AtomicInteger(100000);

  public ProcessHarness() {
    Map<Object, Object> beans = new HashMap<>();
    beans.put("planFullUpgrade", new PlanFullUpgrade(sites, properties));
    beans.put("postNotice", new PostNotice(() -> notifier, sites));
    beans.put("requireConfirmation", new RequireConfirmation());
    beans.put("checkHeldStates", new CheckHeldStates(cscStates, sites));
    beans.put("checkCscStates", new CheckCscStates(cscStates));
    beans.put("addScript", new AddScript(love));
    RunScriptsSettings scriptSettings = new RunScriptsSettings(
        new ScriptStepProperties(Duration.ofSeconds(2), Duration.ofMinutes(30)));
    beans.put("checkScript", new CheckScript(love, scriptSettings));
    beans.put("planCscsOffline", new PlanCscsOffline(sites));
    beans.put("exitRunningQueue", new ExitRunningQueue(love, cscStates));
    beans.put("recordHandledByHand", new RecordHandledByHand());
    beans.put("runHostCommands", new RunHostCommands(hosts, sites));
    beans.put("cleanUpCluster", new CleanUpCluster(cleanup));
    beans.put("recordCompatibility", new RecordCompatibility(registry, () -> notifier));
    beans.put("relaxCompatibility", new RelaxCompatibility(registry));
    beans.put("restoreCompatibility", new RestoreCompatibility(registry));
    beans.put("startAppSync", new StartAppSync(argo));
    beans.put("checkAppSync", new CheckAppSync(argo));
    beans.put("startCrioRebuilds", new StartCrioRebuilds(hosts, sites));
    beans.put("checkCrioRebuilds", new CheckCrioRebuilds(hosts, sites));
    beans.put("defaultAppLists", new DefaultAppLists());
    beans.put("validateHeldStatesDecision", new ValidateHeldStatesDecision());
    // incremental-upgrade, os-k8s-recovery and the minimal testing they call
    beans.put("planIncrementalUpgrade", new PlanIncrementalUpgrade(sites, properties));
    beans.put("deleteCscJobs", new DeleteCscJobs(cleanup));
    beans.put("checkNewTopics", new CheckNewTopics(topics, sites));
    beans.put("planOsK8sRecovery", new PlanOsK8sRecovery(sites, properties));
    RecoveryHosts recovery = new RecoveryHosts();
    beans.put("restartHostCscs", recovery.restartHostCscs(hosts, sites));
    beans.put("rebootHost", recovery.rebootHost(hosts, sites));
    beans.put("checkHostBack", recovery.checkHostBack(hosts, sites));
    ScriptSets scriptSets = new ScriptSets();
    beans.put("runScriptsAddNext", new RunScriptsAddNext(love, scriptSets));
    beans.put("runScriptsCheck", new RunScriptsCheck(love, scriptSettings));
    beans.put("runScriptsSettings", scriptSettings);
    beans.put("minimalTestingPlan", new MinimalTestingPlan(sites));
    beans.put("minimalTestingSummary", new MinimalTestingSummary());
    beans.put("minimalTestingCancelled", new MinimalTestingCancelled(love, scriptSets));

    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    cfg.setJdbcUrl("jdbc:h2:mem:runbook-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    cfg.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP);
    cfg.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    cfg.setJobExecutorActivate(false);
    cfg.setEnforceHistoryTimeToLive(true);
    cfg.setBeans(beans);
    cfg.setProcessEnginePlugins(new ArrayList<>(List.of(new CompatibilityRestorePlugin(() -> registry, () -> notifier))));
    cfg.setProcessEngineName("runbook-" + System.nanoTime());
    engine = cfg.buildProcessEngine();

    var deployment = engine.getRepositoryService().createDeployment().name("runbook");
    try {
      for (Path p : list("processes", ".bpmn")) {
        deployment.addInputStream(p.getFileName().toString(), Files.newInputStream(p));
      }
      for (Path p : list("forms", ".form")) {
        deployment.addInputStream(p.getFileName().toString(), Files.newInputStream(p));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    deployment.deploy();
    obedientSite();
  }

  private static List<Path> list(String dir, String suffix) throws java.io.IOException {
    try (var s = Files.list(Path.of(dir))) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  public Site site(String id) {
    return sites.require(id);
  }

  /** Every CSC as the monitor step expects it (the site before the upgrade). */
  public void siteUp(String siteId) {
    for (String e : SitePlan.monitorExpectations(site(siteId))) {
      String[] kv = e.split("=");
      String first = kv[1].split("\\|")[0];
      states.put(CscId.parse(kv[0]), SummaryState.valueOf(first.equals("OFFLINE") ? "STANDBY" : first));
    }
  }

  /** Before each test: no process instance left, a site where everything works, nothing recorded. */
  public void beforeEachTest() {
    engine.getRuntimeService().createProcessInstanceQuery().rootProcessInstances().list()
        .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "next test", true, true));
    obedientSite();
    states.clear();
    ignoresOffline.clear();
    completedTasks.clear();
    compatibility = "FORWARD";
  }

  /** Mock answers of a site where everything works. */
  void obedientSite() {
    reset(cscStates, love, argo, cleanup, registry, hosts, notifier, topics);
    when(cleanup.deleteJobsOfClass(anyString(), anyString(), anyString(), eq(false))).thenAnswer(inv -> new CleanupReport(
        List.of("job/" + inv.getArgument(1) + "/" + inv.getArgument(2)), List.of(), List.of(), false));
    when(hosts.run(anyString(), anyString(), anyList())).thenAnswer(inv -> new HostResult(inv.getArgument(1), true,
        List.of(), null));
    when(hosts.reboot(anyString(), anyString(), anyString())).thenAnswer(inv -> new RemoteHosts.Reboot(
        new HostResult(inv.getArgument(1), true, List.of(), null), BOOT_BEFORE, false));
    when(hosts.bootId(anyString(), anyString())).thenReturn(Optional.of(BOOT_AFTER));
    when(hosts.reachable(anyString(), anyString())).thenReturn(true);
    when(topics.topicsOf(anyString(), anyString())).thenAnswer(inv -> java.util.Set.of(
        "lsst.sal." + inv.getArgument(1) + ".logevent_summaryState", "lsst.sal." + inv.getArgument(1) + ".logevent_heartbeat"));
    when(cscStates.historyRead(anyString())).thenReturn(true);
    when(cscStates.statusOf(anyString(), any())).thenAnswer(inv -> {
      Collection<CscId> ids = inv.getArgument(1);
      return ids.stream().map(id -> status(id)).toList();
    });
    when(love.addScript(anyString(), anyInt(), any())).thenAnswer(inv -> {
      String siteId = inv.getArgument(0);
      ScriptRequest r = inv.getArgument(2);
      applyScript(siteId, r);
      return scriptIndex.incrementAndGet();
    });
    when(love.outcome(anyString(), anyInt(), anyInt())).thenAnswer(inv -> Optional.of(new ScriptOutcome(
        inv.getArgument(1), inv.getArgument(2), "script", "DONE", "DONE", true, false, "")));
    when(love.command(anyString(), any(), anyString(), anyMap())).thenAnswer(inv -> {
      CscId id = inv.getArgument(1);
      String cmd = inv.getArgument(2);
      if (cmd.equals("cmd_exitControl")) {
        states.put(id, SummaryState.OFFLINE);
      }
      return "Done";
    });
    when(argo.sync(anyString(), anyString())).thenAnswer(inv -> {
      String siteId = inv.getArgument(0);
      String app = inv.getArgument(1);
      if (site(siteId).argocd().telescopeApps().contains(app)) {
        bringUp(siteId, app);
      }
      return ArgoCd.SyncStart.STARTED;
    });
    when(argo.progress(anyString(), anyString(), any())).thenAnswer(inv -> new SyncProgress(
        SyncProgress.State.SUCCEEDED, "synced", null));
    when(cleanup.cleanupAll(anyString(), eq(false))).thenReturn(new CleanupReport(List.of("job/x/y"), List.of(), List.of(), false));
    when(cleanup.cleanupNublado(anyString(), eq(false))).thenReturn(new CleanupReport(List.of(), List.of(), List.of(), false));
    when(registry.compatibility(anyString())).thenAnswer(inv -> compatibility);
    when(registry.setCompatibility(anyString(), anyString())).thenAnswer(inv -> {
      compatibility = inv.getArgument(1);
      return compatibility;
    });
    when(hosts.runOnEach(anyString(), anyMap())).thenAnswer(inv -> {
      Map<String, ?> plan = inv.getArgument(1);
      return plan.keySet().stream().map(h -> new HostResult(h, true, List.of(), null)).toList();
    });
    when(hosts.startDetached(anyString(), anyString(), anyString(), anyList())).thenAnswer(inv ->
        new DetachedStatus(inv.getArgument(1), inv.getArgument(2), DetachedStatus.State.RUNNING, null, null));
    when(hosts.detachedStatus(anyString(), anyString(), anyString())).thenAnswer(inv ->
        new DetachedStatus(inv.getArgument(1), inv.getArgument(2), DetachedStatus.State.SUCCEEDED, 0, "done"));
    when(notifier.post(anyString(), any(), anyString())).thenAnswer(inv ->
        new Notifier.Delivery("n", inv.getArgument(1) == null ? "#site" : inv.getArgument(1), true, null));
    when(notifier.post(anyString(), isNull(), anyString())).thenAnswer(inv ->
        new Notifier.Delivery("n", "#site", true, null));
  }

  public CscStatus status(CscId id) {
    SummaryState s = states.getOrDefault(id, SummaryState.OFFLINE);
    Duration age = s == SummaryState.OFFLINE ? null : Duration.ofMillis(300);
    return new CscStatus(id, s, age, s, Instant.now());
  }

  @SuppressWarnings("unchecked")
  public void applyScript(String siteId, ScriptRequest r) {
    Site site = site(siteId);
    if (r.path().equals(ScriptConfigs.SYSTEM_WIDE_SHUTDOWN)) {
      List<String> ignore = (List<String>) r.config().getOrDefault("ignore", List.of());
      for (Site.Csc c : site.cscs()) {
        if (!ignore.contains(c.id().toString()) && !c.id().component().equals("ScriptQueue")
            && !ignoresOffline.contains(c.id())) {
          states.put(c.id(), SummaryState.OFFLINE);
        }
      }
    } else if (r.path().equals(ScriptConfigs.SET_SUMMARY_STATE)) {
      for (List<String> row : (List<List<String>>) r.config().get("data")) {
        if (row.get(0).contains("*")) {
          continue;
        }
        CscId id = CscId.parse(row.get(0));
        if (!ignoresOffline.contains(id) || !row.get(1).equals("OFFLINE")) {
          states.put(id, SummaryState.valueOf(row.get(1)));
        }
      }
    }
  }

  /** A telescope app's sync brings its CSCs up as the monitor step expects them. */
  private void bringUp(String siteId, String app) {
    Site site = site(siteId);
    for (String e : SitePlan.monitorExpectations(site)) {
      String[] kv = e.split("=");
      CscId id = CscId.parse(kv[0]);
      var csc = site.requireCsc(id);
      if (app.equals(csc.app()) || (csc.host() != null && app.equals(site.argocd().firstTelescopeApps().get(0)))) {
        String first = kv[1].split("\\|")[0];
        states.put(id, SummaryState.valueOf(first.equals("OFFLINE") ? "STANDBY" : first));
      }
    }
  }

  // ------------------------------------------------------------------ driving

  public ProcessInstance start(String siteId, boolean breaking) {
    Map<String, Object> vars = new HashMap<>();
    vars.put(RunVariables.SITE, siteId);
    vars.put(RunVariables.RUN_ID, siteId + "-cycle-40-" + System.nanoTime());
    vars.put(RunVariables.CYCLE, "Cycle 40");
    vars.put(RunVariables.BREAKING_SCHEMA_CHANGE, breaking);
    vars.put(RunVariables.PHALANX_REF, "tickets/DM-12345");
    vars.put(RunVariables.DOCKER_COMPOSE_OPS_BRANCH, siteId.equals("summit") ? "cycle40" : null);
    vars.put(RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH, siteId.equals("summit") ? "cycle40" : null);
    vars.put(RunVariables.STARTED_BY, "operator1");
    return engine.getRuntimeService().startProcessInstanceByKey(FullUpgradeIds.KEY,
        (String) vars.get(RunVariables.RUN_ID), vars);
  }

  /** Runs every job (timers too) until none is left or {@code maxJobs} ran; failing jobs lose a retry. */
  public int runJobs(int maxJobs) {
    int ran = 0;
    while (ran < maxJobs) {
      List<Job> jobs = engine.getManagementService().createJobQuery().withRetriesLeft().list();
      if (jobs.isEmpty()) {
        return ran;
      }
      for (Job j : jobs) {
        ran++;
        try {
          engine.getManagementService().executeJob(j.getId());
        } catch (RuntimeException e) {
          // a failed job loses a retry; with none left it becomes an incident
        } 
      }
    }
    return ran;
  }

  /**
   * Drives the runs: jobs, then the first open task completed with its form's defaults and the
   * overrides for its task definition key; until no job and no task is left. Overrides may be
   * lists: one value per completion of that task, the last repeated.
   */
  public void drive(Map<String, Map<String, Object>> overrides) {
    for (int round = 0; round < 500; round++) {
      runJobs(400);
      List<Task> tasks = engine.getTaskService().createTaskQuery().orderByTaskCreateTime().asc().list();
      if (tasks.isEmpty()) {
        return;
      }
      Task t = tasks.get(0);
      Map<String, Object> values = formDefaults(t);
      values.putAll(overrides.getOrDefault(t.getTaskDefinitionKey(), Map.of()));
      completedTasks.add(t.getTaskDefinitionKey());
      engine.getTaskService().complete(t.getId(), values);
    }
    throw new AssertionError("the run did not settle after 500 rounds; tasks so far: " + completedTasks);
  }

  /** Like {@link #drive} but stops, leaving it open, when a task with the given key is reached. */
  public Task driveUntilTask(String taskKey, Map<String, Map<String, Object>> overrides) {
    for (int round = 0; round < 500; round++) {
      runJobs(400);
      List<Task> tasks = engine.getTaskService().createTaskQuery().orderByTaskCreateTime().asc().list();
      Optional<Task> wanted = tasks.stream().filter(t -> t.getTaskDefinitionKey().equals(taskKey)).findFirst();
      if (wanted.isPresent()) {
        return wanted.get();
      }
      if (tasks.isEmpty()) {
        throw new AssertionError("no task " + taskKey + " reached; tasks so far: " + completedTasks);
      }
      Task t = tasks.get(0);
      Map<String, Object> values = formDefaults(t);
      values.putAll(overrides.getOrDefault(t.getTaskDefinitionKey(), Map.of()));
      completedTasks.add(t.getTaskDefinitionKey());
      engine.getTaskService().complete(t.getId(), values);
    }
    throw new AssertionError("task " + taskKey + " not reached");
  }

  /** The default values of the task's Camunda Form: what the autopilot answers. */
  public Map<String, Object> formDefaults(Task task) {
    UserTask ut = engine.getRepositoryService().getBpmnModelInstance(task.getProcessDefinitionId())
        .getModelElementById(task.getTaskDefinitionKey());
    String ref = ut.getCamundaFormRef();
    Map<String, Object> values = new HashMap<>();
    try {
      JsonNode form = JSON.readTree(Path.of("forms", ref + ".form").toFile());
      for (JsonNode c : form.get("components")) {
        if (c.has("key") && c.has("defaultValue")) {
          values.put(c.get("key").asText(), JSON.treeToValue(c.get("defaultValue"), Object.class));
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("form " + ref + " of task " + task.getTaskDefinitionKey() + ": " + e, e);
    }
    return values;
  }

  public void close() {
    engine.close();
  }

  static ProcessEngineConfigurationImpl config(ProcessEngine engine) {
    return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
  }
}
