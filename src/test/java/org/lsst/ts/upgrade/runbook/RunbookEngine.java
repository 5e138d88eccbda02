package org.lsst.ts.upgrade.runbook;

import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.runbook.scripts.ScriptStepProperties;
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
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.spin.plugin.impl.SpinProcessEnginePlugin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lsst.ts.upgrade.argocd.ArgoCdProperties;
import org.lsst.ts.upgrade.csc.CscTopics;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.core.type.filter.RegexPatternTypeFilter;
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
import org.lsst.ts.upgrade.kubernetes.KubernetesProperties;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * The one engine-test harness, a JUnit extension
 * ({@code @RegisterExtension static final RunbookEngine h = new RunbookEngine();}): an in-memory
 * Camunda engine (H2, no job executor: tests run the jobs) with the runbook's delegates, found as
 * the application finds them, wired to Mockito mocks of the capabilities. The mocks behave like a small, obedient
 * site ({@link #states}): scripts and commands change the CSC states they would change; tests
 * override single answers to make a path happen. User tasks are completed with the rehearsal
 * autopilot's answer sheet, plus per-task overrides.
 */
public final class RunbookEngine implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  static final ObjectMapper JSON = new ObjectMapper();

  public final CscStates cscStates = mock(CscStates.class);
  public final Love love = mock(Love.class);
  public final ArgoCd argo = mock(ArgoCd.class);
  public final ClusterCleanup cleanup = mock(ClusterCleanup.class);
  public final SchemaRegistry registry = mock(SchemaRegistry.class);
  public final RemoteHosts hosts = mock(RemoteHosts.class);
  public final Notifier notifier = mock(Notifier.class);
  public final CscTopics topics = mock(CscTopics.class);
  public final Sites sites = new Sites(new SiteProperties(null));
  // the bring-up's early ask is a timer the harness never runs (its own test runs it by hand)
  final RunbookProperties properties = new RunbookProperties(1, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO,
      Duration.ZERO, SOFT_DEADLINE_NEVER, Duration.ofMillis(250));
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
  /**
   * What the person does before completing a task, by form id (as the autopilot's task actions do
   * on the twin): by default MTM2 is ENABLED from LOVE before the Hexrot reboot is confirmed.
   */
  public final Map<String, Runnable> personActs = new ConcurrentHashMap<>();

  private final List<Object> overrides = new ArrayList<>();
  private AnnotationConfigApplicationContext context;
  public ProcessEngine engine;

  /** Replaces a mocked capability (e.g. a {@link FakeLove}'s {@code love}) before the engine starts. */
  public <T> RunbookEngine with(Class<T> type, T bean) {
    overrides.add(new Object[] {type, bean});
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext extension) {
    start();
  }

  @Override
  public void beforeEach(ExtensionContext extension) {
    beforeEachTest();
  }

  @Override
  public void afterAll(ExtensionContext extension) {
    close();
  }

  /**
   * The runbook's delegates come from a Spring context that scans {@code org.lsst.ts.upgrade.runbook}
   * (the run API in {@code runbook.runs} left out), as the application does, with the capabilities
   * mocked: a new delegate needs nothing here.
   */
  @SuppressWarnings("unchecked")
  public void start() {
    AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
    Map<Class<?>, Object> capabilities = new LinkedHashMap<>();
    capabilities.put(CscStates.class, cscStates);
    capabilities.put(Love.class, love);
    capabilities.put(ArgoCd.class, argo);
    capabilities.put(ClusterCleanup.class, cleanup);
    capabilities.put(SchemaRegistry.class, registry);
    capabilities.put(RemoteHosts.class, hosts);
    capabilities.put(Notifier.class, notifier);
    capabilities.put(CscTopics.class, topics);
    capabilities.put(Sites.class, sites);
    capabilities.put(RunbookProperties.class, properties);
    // a host step's detached commands still running after 10 minutes (of the engine clock) go to a person
    capabilities.put(org.lsst.ts.upgrade.hosts.SshProperties.class, new org.lsst.ts.upgrade.hosts.SshProperties(null, null,
        "upgrade-orchestrator", Duration.ofSeconds(5), Duration.ofSeconds(30), 65536, 2, ".upgrade-orchestrator/jobs",
        Duration.ofMinutes(10)));
    // the clean-up's timer loop gives up at once: a left-over object (stillPresent) goes to a person
    capabilities.put(KubernetesProperties.class, new KubernetesProperties(null, false, Duration.ofMillis(1),
        Duration.ofSeconds(1)));
    capabilities.put(ScriptStepProperties.class, new ScriptStepProperties(Duration.ofSeconds(2), Duration.ofMinutes(30),
        SOFT_DEADLINE_NEVER, Map.of(), 2, Duration.ofSeconds(2)));
    capabilities.put(org.lsst.ts.upgrade.runbook.sync.SyncStepProperties.class,
        new org.lsst.ts.upgrade.runbook.sync.SyncStepProperties(SOFT_DEADLINE_NEVER, Map.of()));
    capabilities.put(org.lsst.ts.upgrade.runbook.hoststeps.HostStepProperties.class,
        new org.lsst.ts.upgrade.runbook.hoststeps.HostStepProperties(SOFT_DEADLINE_NEVER, Map.of()));
    capabilities.put(ArgoCdProperties.class, new ArgoCdProperties(Duration.ofSeconds(1), Duration.ofSeconds(1), false,
        ArgoCdProperties.DEFAULT_SYNC_TIMEOUT));
    for (Object o : overrides) {
      Object[] pair = (Object[]) o;
      capabilities.put((Class<?>) pair[0], pair[1]);
    }
    capabilities.forEach((type, bean) -> ctx.registerBean((Class<Object>) type, () -> bean));
    ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(ctx);
    scanner.addExcludeFilter(new RegexPatternTypeFilter(Pattern.compile("org\\.lsst\\.ts\\.upgrade\\.runbook\\.runs\\..*")));
    scanner.scan("org.lsst.ts.upgrade.runbook");
    ctx.refresh();
    context = ctx;

    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "runbook-" + System.nanoTime();
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP);
    cfg.setHistory(ProcessEngineConfiguration.HISTORY_FULL);
    cfg.setJobExecutorActivate(false);
    cfg.setEnforceHistoryTimeToLive(true);
    cfg.setBeans(new ContextBeans(ctx));
    // Spin, and the runbook's own engine plugins as the application has them (compatibility restore, abort recorder, ...)
    List<org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin> plugins = new ArrayList<>(List.of(new SpinProcessEnginePlugin()));
    plugins.addAll(ctx.getBeansOfType(org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin.class).values());
    cfg.setProcessEnginePlugins(plugins);
    cfg.setProcessEngineName(name);
    engine = cfg.buildProcessEngine();
    BpmnAwareTests.init(engine);

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

  /** The engine's beans are the context's, looked up by name. */
  private static final class ContextBeans extends AbstractMap<Object, Object> {
    private final ApplicationContext context;

    ContextBeans(ApplicationContext context) {
      this.context = context;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String name && context.containsBean(name);
    }

    @Override
    public Object get(Object key) {
      return containsKey(key) ? context.getBean((String) key) : null;
    }

    @Override
    public Set<Entry<Object, Object>> entrySet() {
      return Set.of();
    }
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
      String first = kv[1].replace("ALIVE|", "").split("\\|")[0];
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
    formContextProblems.clear();
    compatibility = "FORWARD";
    personActs.clear();
    personActs.put("m2-enabled-before-hexrot", () -> states.put(CscId.of("MTM2"), SummaryState.ENABLED));
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
    // the preflight's reads: LOVE lets the operator command, every Argo CD app exists, the monitor
    // hears every CSC (in the state the test set, else as before a run: the enabled-on-start ENABLED)
    when(love.mayCommand(anyString())).thenReturn(true);
    when(argo.list(anyString(), anyString())).thenAnswer(inv -> site(inv.getArgument(0)).argocd().telescopeApps().stream()
        .map(a -> new ArgoCd.AppStatus(a, inv.getArgument(1), "Synced", "Healthy", null, null, null, null)).toList());
    when(argo.app(anyString(), anyString())).thenAnswer(inv -> new ArgoCd.AppStatus(inv.getArgument(1), "?", "Synced",
        "Healthy", null, null, null, null));
    when(cscStates.snapshot(anyString())).thenAnswer(inv -> {
      Site site = site(inv.getArgument(0));
      return site.cscIds().stream().map(id -> states.containsKey(id) ? status(id) : new CscStatus(id,
          site.enabledOnStart().contains(id) ? SummaryState.ENABLED : SummaryState.STANDBY, Duration.ofMillis(300),
          site.enabledOnStart().contains(id) ? SummaryState.ENABLED : SummaryState.STANDBY, Instant.now())).toList();
    });
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
    when(argo.revision(anyString(), anyString(), anyString())).thenAnswer(inv -> Optional.of(new ArgoCd.Revision(
        inv.getArgument(2), "Someone <someone@example.org>", "2026-12-01T12:00:00Z", "Merge " + inv.getArgument(2))));
    when(argo.progress(anyString(), anyString(), any())).thenAnswer(inv -> new SyncProgress(
        SyncProgress.State.SUCCEEDED, "synced", null));
    when(cleanup.cleanupAll(anyString(), eq(false))).thenReturn(new CleanupReport(List.of("job/x/y"), List.of(), List.of(), false));
    when(cleanup.cleanupNublado(anyString(), eq(false))).thenReturn(new CleanupReport(List.of(), List.of(), List.of(), false));
    // what a clean-up reported left stays (a stuck object): the timer loop's look finds it again
    when(cleanup.stillPresent(anyString(), anyList())).thenAnswer(inv -> List.copyOf(inv.<List<String>>getArgument(1)));
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
    // a step's hosts at once: the interface's own (one host after the other), over the answers above
    when(hosts.startDetachedOnEach(anyString(), anyMap(), anyMap())).thenCallRealMethod();
    when(hosts.detachedStatuses(anyString(), anyMap())).thenCallRealMethod();
    when(notifier.post(anyString(), any(), anyString())).thenAnswer(inv ->
        new Notifier.Delivery("n", inv.getArgument(1) == null ? "#site" : inv.getArgument(1), true, null));
    when(notifier.post(anyString(), isNull(), anyString())).thenAnswer(inv ->
        new Notifier.Delivery("n", "#site", true, null));
    // a run's notice (named: a label) is posted as the 3-argument post the tests stub and verify
    when(notifier.post(anyString(), any(), anyString(), any(), any(), org.mockito.ArgumentMatchers.anyBoolean()))
        .thenAnswer(inv -> inv.getArgument(4) == null ? new Notifier.Delivery("n", "#site", true, null)
            : notifier.post(inv.<String>getArgument(0), inv.<String>getArgument(1), inv.<String>getArgument(2)));
    // a notice in the run's thread, broadcast or not: as the 6-argument post (the interface's default)
    when(notifier.post(anyString(), any(), anyString(), any(), any(), org.mockito.ArgumentMatchers.anyBoolean(),
        org.mockito.ArgumentMatchers.anyBoolean())).thenAnswer(inv -> notifier.post(inv.<String>getArgument(0),
            inv.<String>getArgument(1), inv.<String>getArgument(2), inv.<String>getArgument(3), inv.<String>getArgument(4),
            inv.<Boolean>getArgument(5)));
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
        if (row.get(0).endsWith(":*")) {
          // as the real script: every running instance of the component
          String component = row.get(0).substring(0, row.get(0).length() - 2);
          for (Site.Csc c : site.cscs()) {
            if (c.id().component().equals(component)
                && states.getOrDefault(c.id(), SummaryState.OFFLINE) != SummaryState.OFFLINE) {
              states.put(c.id(), SummaryState.valueOf(row.get(1)));
            }
          }
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
        String first = kv[1].replace("ALIVE|", "").split("\\|")[0];
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

  /**
   * Runs the jobs up to the plan's approval and approves it (the preflight's checks passing on the
   * mocks): for tests that then run the jobs themselves.
   */
  public void approvePlan() {
    runJobs(400);
    List<Task> plan = engine.getTaskService().createTaskQuery().taskDefinitionKey("UserTask_ApprovePlan").list();
    if (plan.isEmpty()) {
      throw new AssertionError("no plan to approve: the preflight stopped at "
          + engine.getTaskService().createTaskQuery().list().stream().map(Task::getTaskDefinitionKey).toList());
    }
    plan.forEach(t -> engine.getTaskService().complete(t.getId(), Map.of("planDecision", "approve")));
  }

  /**
   * The host steps started so far (detached, {@code run-host-commands}), in the order they started:
   * per step, each host and its commands (what {@code runOnEach} was given before host steps ran detached).
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, List<org.lsst.ts.upgrade.hosts.HostCommand>>> hostSteps() {
    Map<String, Map<String, List<org.lsst.ts.upgrade.hosts.HostCommand>>> byJob = new java.util.LinkedHashMap<>();
    for (var inv : org.mockito.Mockito.mockingDetails(hosts).getInvocations()) {
      if (inv.getMethod().getName().equals("startDetached") && inv.<String>getArgument(2).startsWith("hoststep-")) {
        String job = inv.<String>getArgument(2);
        // a rerun (attempt n) belongs to the same step as attempt 0
        byJob.computeIfAbsent(job.substring(0, job.lastIndexOf('-')), j -> new java.util.LinkedHashMap<>())
            .put(inv.getArgument(1), (List<org.lsst.ts.upgrade.hosts.HostCommand>) inv.getArgument(3));
      }
    }
    return new ArrayList<>(byJob.values());
  }

  /**
   * The soft deadlines (a script running longer than usual) of the fast process tests: so far away
   * that the harness, which runs timers at once, never runs them ({@link #runnable}); a test of the
   * soft deadline itself runs that timer by hand.
   */
  public static final Duration SOFT_DEADLINE_NEVER = Duration.ofDays(3650);

  /** The jobs to run now: every job but a timer due after a year (a soft deadline that never comes). */
  public List<Job> runnable(List<Job> jobs) {
    java.util.Date farAway = new java.util.Date(System.currentTimeMillis() + Duration.ofDays(365).toMillis());
    return jobs.stream().filter(j -> j.getDuedate() == null || j.getDuedate().before(farAway)).toList();
  }

  /** Runs every job (timers too) until none is left or {@code maxJobs} ran; failing jobs lose a retry. */
  public int runJobs(int maxJobs) {
    int ran = 0;
    while (ran < maxJobs) {
      List<Job> jobs = runnable(engine.getManagementService().createJobQuery().withRetriesLeft().list());
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
   * Drives the runs: jobs, then the first open task completed with the autopilot's answers and the
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
      Map<String, Object> values = answers(t);
      values.putAll(overrides.getOrDefault(t.getTaskDefinitionKey(), Map.of()));
      checkFormContext(t);
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
      Map<String, Object> values = answers(t);
      values.putAll(overrides.getOrDefault(t.getTaskDefinitionKey(), Map.of()));
      checkFormContext(t);
      completedTasks.add(t.getTaskDefinitionKey());
      engine.getTaskService().complete(t.getId(), values);
    }
    throw new AssertionError("task " + taskKey + " not reached");
  }

  /**
   * Every {@code {{variable}}} the task's form shows that is not a variable in scope of the task
   * (a blank where the person needs a name or a link), as "task (process): {{variable}}". Collected
   * by {@link #drive} and {@link #driveUntilTask} for each task they complete.
   */
  public final java.util.Set<String> formContextProblems = new java.util.TreeSet<>();

  private static final java.util.regex.Pattern TEMPLATE = java.util.regex.Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  /** Records the form's template variables that are not in scope of the task. */
  public void checkFormContext(Task task) {
    UserTask ut = engine.getRepositoryService().getBpmnModelInstance(task.getProcessDefinitionId())
        .getModelElementById(task.getTaskDefinitionKey());
    String ref = ut.getCamundaFormRef();
    if (ref == null) {
      return;
    }
    String text;
    try {
      text = Files.readString(Path.of("forms", ref + ".form"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("form " + ref + " of task " + task.getTaskDefinitionKey() + ": " + e, e);
    }
    Map<String, Object> scope = engine.getTaskService().getVariables(task.getId());
    String process = task.getProcessDefinitionId().substring(0, task.getProcessDefinitionId().indexOf(':'));
    var m = TEMPLATE.matcher(text);
    while (m.find()) {
      if (!scope.containsKey(m.group(1))) {
        formContextProblems.add(task.getTaskDefinitionKey() + " (" + process + ", form " + ref + "): {{" + m.group(1) + "}}");
      }
    }
  }

  /** The rehearsal autopilot's answer sheet, per form id and field key. */
  static final Map<String, Map<String, Object>> ANSWER_SHEET = org.lsst.ts.upgrade.rehearsal.Autopilot.answerSheet();

  /**
   * What the rehearsal autopilot answers in this task: its answer sheet's entry for the task's form
   * (never the form's defaults, which a confirmation or a decision does not have).
   */
  public Map<String, Object> answers(Task task) {
    UserTask ut = engine.getRepositoryService().getBpmnModelInstance(task.getProcessDefinitionId())
        .getModelElementById(task.getTaskDefinitionKey());
    String ref = ut.getCamundaFormRef();
    if (!Files.exists(Path.of("forms", ref + ".form"))) {
      throw new IllegalStateException("form " + ref + " of task " + task.getTaskDefinitionKey() + " is not in forms/");
    }
    personActs.getOrDefault(ref, () -> { }).run();
    return new HashMap<>(ANSWER_SHEET.getOrDefault(ref, Map.of()));
  }

  /**
   * Executes due and timer jobs (timers at once: the test does not wait for them) until the
   * process instances wait for people or end. Fails on a job that throws.
   */
  public void drive() {
    if (!drive(2000)) {
      throw new AssertionError("the process did not come to rest after 2000 jobs");
    }
  }

  /** Executes at most {@code max} jobs, failing on one that throws; true when none is left. */
  public boolean drive(int max) {
    for (int i = 0; i < max; i++) {
      List<Job> jobs = runnable(engine.getManagementService().createJobQuery().active().withRetriesLeft().list());
      if (jobs.isEmpty()) {
        return true;
      }
      engine.getManagementService().executeJob(jobs.get(0).getId());
    }
    return runnable(engine.getManagementService().createJobQuery().active().withRetriesLeft().list()).isEmpty();
  }

  public boolean ended(ProcessInstance pi) {
    return engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(pi.getId())
        .finished().count() == 1;
  }

  /** A variable of the process instance itself, from the history (it may have ended). */
  public Object historicVariable(ProcessInstance pi, String name) {
    var v = engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(name).singleResult();
    return v == null ? null : v.getValue();
  }

  /** The run's process instance and every process it called, directly or not. */
  public List<String> tree(ProcessInstance root) {
    List<String> ids = new ArrayList<>();
    ids.add(root.getId());
    engine.getHistoryService().createHistoricProcessInstanceQuery().rootProcessInstanceId(root.getId()).list()
        .forEach(p -> {
          if (!ids.contains(p.getId())) {
            ids.add(p.getId());
          }
        });
    return ids;
  }

  /** Every activity the run passed, its called processes' included, in the order they started. */
  public List<String> passed(ProcessInstance root) {
    return engine.getHistoryService().createNativeHistoricActivityInstanceQuery()
        .sql("SELECT * FROM ACT_HI_ACTINST WHERE ROOT_PROC_INST_ID_ = #{root} ORDER BY START_TIME_, SEQUENCE_COUNTER_")
        .parameter("root", root.getId()).list().stream()
        .map(org.camunda.bpm.engine.history.HistoricActivityInstance::getActivityId).toList();
  }

  /** The activities of the run (called processes included) still waiting: tasks, timers, incidents. */
  public List<String> waitingAt(ProcessInstance root) {
    return engine.getHistoryService().createNativeHistoricActivityInstanceQuery()
        .sql("SELECT * FROM ACT_HI_ACTINST WHERE ROOT_PROC_INST_ID_ = #{root} AND END_TIME_ IS NULL")
        .parameter("root", root.getId()).list().stream()
        .filter(a -> !"callActivity".equals(a.getActivityType()) && !"subProcess".equals(a.getActivityType()))
        .map(org.camunda.bpm.engine.history.HistoricActivityInstance::getActivityId).toList();
  }

  /**
   * A variable of the run, from the history: the run's own if it has one, else the newest of the
   * processes it called (a stage's step writes into its stage).
   */
  public Object variable(ProcessInstance root, String name) {
    var all = engine.getHistoryService().createHistoricVariableInstanceQuery()
        .processInstanceIdIn(tree(root).toArray(String[]::new)).variableName(name).list();
    return all.stream().filter(v -> v.getProcessInstanceId().equals(root.getId())).findFirst()
        .or(() -> all.stream().max(java.util.Comparator.comparing(v -> v.getCreateTime())))
        .map(v -> v.getValue()).orElse(null);
  }

  /** The incident where the run is stuck: the root cause, in whichever called process it is. */
  public org.camunda.bpm.engine.runtime.Incident incident(ProcessInstance root) {
    List<String> tree = tree(root);
    var causes = engine.getRuntimeService().createIncidentQuery().list().stream()
        .filter(i -> tree.contains(i.getProcessInstanceId()) && i.getId().equals(i.getRootCauseIncidentId())).toList();
    if (causes.size() > 1) {
      throw new AssertionError("more than one incident: " + causes.stream().map(i -> i.getActivityId()).toList());
    }
    return causes.isEmpty() ? null : causes.get(0);
  }

  public void close() {
    if (engine != null) {
      engine.close();
      context.close();
    }
  }

  static ProcessEngineConfigurationImpl config(ProcessEngine engine) {
    return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
  }
}
