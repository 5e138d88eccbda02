package org.lsst.ts.upgrade.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncStart;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.LatencyModel;
import org.lsst.ts.upgrade.rehearsal.RehearsalProperties;
import org.lsst.ts.upgrade.rehearsal.TwinArgoCd;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinKubernetes;
import org.lsst.ts.upgrade.rehearsal.TwinServices;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.rehearsal.SimulatedSites;
import org.springframework.mock.env.MockEnvironment;

/** The production Argo CD client against the twin's Argo CD HTTP servers (no Spring context). */
class ArgoCdTests {
  private static final String SITE = "tts";
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private Sites sites;
  private ActionLog actions;
  private FaultRegistry faults;
  private TwinCscs cscs;
  private TwinServices services;
  private TwinKubernetes kubernetes;
  private TwinArgoCd twin;
  private MockEnvironment environment;
  private ArgoCd argo;
  private LatencyModel latency;

  @BeforeEach
  void startTwin() {
    SimulatedSites simulated = new SimulatedSites(new SiteProperties(null));
    // a sync lasts ~1 s here (time scale 0.002), long enough to overlap a second sync
    latency = new LatencyModel(new RehearsalProperties(0.002, Map.of("argocd.sync", Duration.ofSeconds(500)),
        false, Duration.ZERO, null));
    actions = new ActionLog();
    faults = new FaultRegistry();
    cscs = new TwinCscs(simulated, latency, actions);
    services = new TwinServices();
    kubernetes = new TwinKubernetes(simulated, cscs, services, latency, actions);
    environment = new MockEnvironment().withProperty(TwinArgoCd.USERNAME_PROPERTY, "admin")
        .withProperty(TwinArgoCd.PASSWORD_PROPERTY, "rehearsal-argocd");
    twin = new TwinArgoCd(simulated, kubernetes, cscs, latency, actions, faults, environment);
    sites = simulated.snapshot();
    argo = client(Duration.ofSeconds(10));
  }

  private ArgoCd client(Duration requestTimeout) {
    return new HttpArgoCd(sites, new ArgoCdProperties(Duration.ofSeconds(5), requestTimeout, false, ArgoCdProperties.DEFAULT_SYNC_TIMEOUT), environment);
  }

  @AfterEach
  void stopTwin() throws Exception {
    for (Object o : List.of(twin, kubernetes)) {
      var stop = o.getClass().getDeclaredMethod("stop");
      stop.setAccessible(true);
      stop.invoke(o);
    }
  }

  private void deleteJobsOf(String app) {
    kubernetes.client(SITE).batch().v1().jobs().inNamespace(app).withLabel(TwinKubernetes.INSTANCE_LABEL, app).delete();
  }

  private List<CscId> cscsOf(String app) {
    return sites.require(SITE).cscs().stream().filter(c -> app.equals(c.app()) && c.onKubernetes()).map(Site.Csc::id).toList();
  }

  @Test
  void listsTheAppsOfAProject() {
    int before = actions.servingTimes(SITE).size();
    assertThat(argo.list(SITE, "telescope")).extracting(ArgoCd.AppStatus::name)
        .containsExactlyInAnyOrderElementsOf(sites.require(SITE).argocd().telescopeApps());
    assertThat(argo.list(SITE, "rsp")).extracting(ArgoCd.AppStatus::name).containsExactly("nublado");
    assertThat(argo.list(SITE, "monitoring")).extracting(ArgoCd.AppStatus::name).containsExactly("sasquatch");
    ArgoCd.AppStatus auxtel = argo.app(SITE, "auxtel", true);
    assertThat(auxtel.project()).isEqualTo("telescope");
    assertThat(auxtel.syncStatus()).isEqualTo("Synced");
    assertThat(auxtel.health()).isEqualTo("Progressing");
    assertThat(argo.app(SITE, "csc-versions").health()).isEqualTo("Healthy");
    assertThat(actions.actions(SITE)).anyMatch(a -> a.action().equals("refresh") && a.target().equals("tts/auxtel"));
    // every request is the site's time, from its arrival to its answer, the API's latency included
    assertThat(actions.servingTimes(SITE).subList(before, actions.servingTimes(SITE).size()))
        .hasSizeGreaterThanOrEqualTo(5).allSatisfy(r ->
        assertThat(java.time.Duration.between(r.start(), r.end())).isGreaterThanOrEqualTo(latency.of("argocd.request")));
  }

  @Test
  void theRepoServerResolvesARevisionAndSaysWhenItDoesNot() {
    String repo = "https://github.com/lsst-sqre/phalanx.git";
    assertThat(argo.revision(SITE, repo, "tickets/DM-12345")).hasValueSatisfying(r -> {
      assertThat(r.revision()).isEqualTo("tickets/DM-12345");
      assertThat(r.message()).isEqualTo("Merge tickets/DM-12345");
      assertThat(r.author()).isNotBlank();
    });
    faults.inject(SITE, "argocd", "tickets/DM-99999", "unknown-revision", Map.of(), 0);
    assertThat(argo.revision(SITE, repo, "tickets/DM-99999")).isEmpty();
    assertThat(actions.actions(SITE)).anyMatch(a -> a.action().equals("revision-metadata")
        && a.params().get("revision").equals("tickets/DM-99999") && a.params().get("found").equals(false));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> argo.revision(SITE, repo, "main; rm -rf /"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pendingChangesAreTheManagedResourcesThatDiffer() {
    assertThat(argo.pendingChanges(SITE, "sasquatch")).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo("ConfigMap");
      assertThat(d.liveState()).contains("\"tasks.max\":\"4\"");
      assertThat(d.targetState()).contains("\"tasks.max\":\"8\"");
    });
    assertThat(argo.pendingChanges(SITE, "auxtel")).isEmpty();
  }

  @Test
  void syncBringsTheCscsBackToStandbyOrEnabled() {
    deleteJobsOf("envsys");
    List<CscId> envsys = cscsOf("envsys");
    assertThat(envsys).contains(CscId.parse("WeatherForecast"), CscId.parse("ESS:1"));
    envsys.forEach(id -> await().atMost(DEADLINE).until(() -> !cscs.get(SITE, id).beating()));
    assertThat(argo.app(SITE, "envsys").syncStatus()).isEqualTo("OutOfSync");
    assertThat(argo.app(SITE, "envsys").health()).isEqualTo("Missing");

    Instant before = Instant.now();
    assertThat(argo.sync(SITE, "envsys")).isEqualTo(SyncStart.STARTED);
    assertThat(argo.progress(SITE, "envsys", before).state()).isEqualTo(SyncProgress.State.RUNNING);
    SyncProgress done = argo.awaitSync(SITE, "envsys", before, DEADLINE, Duration.ofMillis(50)).join();

    assertThat(done.state()).isEqualTo(SyncProgress.State.SUCCEEDED);
    assertThat(done.app().syncStatus()).isEqualTo("Synced");
    assertThat(done.app().health()).isEqualTo("Progressing"); // its Jobs run: never Healthy
    assertThat(kubernetes.client(SITE).batch().v1().jobs().inNamespace("envsys").withName("weatherforecast").get()).isNotNull();
    List<CscId> enabledOnStart = sites.require(SITE).enabledOnStart();
    for (CscId id : envsys) {
      SummaryState expected = enabledOnStart.contains(id) ? SummaryState.ENABLED : SummaryState.STANDBY;
      await().atMost(DEADLINE).until(() -> cscs.get(SITE, id).beating() && cscs.get(SITE, id).state() == expected);
    }
    assertThat(actions.actions(SITE)).anyMatch(a -> a.system().equals("argocd") && a.action().equals("sync")
        && a.target().equals("tts/envsys") && a.end() != null);
    // a CSC whose Job was not recreated is not restarted by a later sync
    long seen = actions.actions(SITE).stream().mapToLong(ActionLog.Action::seq).max().orElse(0);
    Instant later = Instant.now();
    assertThat(argo.sync(SITE, "envsys")).isEqualTo(SyncStart.STARTED);
    assertThat(argo.awaitSync(SITE, "envsys", later, DEADLINE, Duration.ofMillis(50)).join().state())
        .isEqualTo(SyncProgress.State.SUCCEEDED);
    List<ActionLog.Action> since = actions.actions(SITE).stream().filter(a -> a.seq() > seen).toList();
    assertThat(since).anyMatch(a -> a.action().equals("sync") && a.target().equals("tts/envsys") && a.end() != null);
    assertThat(since).noneMatch(a -> a.system().equals("kubernetes") && a.action().equals("create"));
    assertThat(since).noneMatch(a -> a.system().equals("csc") && a.action().equals("launch"));
    envsys.forEach(id -> assertThat(actions.actions(SITE)).filteredOn(a -> a.system().equals("csc")
        && a.action().equals("launch") && a.target().equals("tts/" + id)).as("launches of %s", id).hasSize(1));
  }

  @Test
  void aSecondSyncWhileOneRunsWaitsForIt() {
    Instant before = Instant.now();
    assertThat(argo.sync(SITE, "obssys")).isEqualTo(SyncStart.STARTED);
    assertThat(argo.sync(SITE, "obssys")).isEqualTo(SyncStart.ALREADY_RUNNING);
    assertThat(actions.actions(SITE)).anyMatch(a -> a.action().equals("sync-refused"));
    assertThat(argo.awaitSync(SITE, "obssys", before, DEADLINE, Duration.ofMillis(50)).join().state())
        .isEqualTo(SyncProgress.State.SUCCEEDED);
  }

  @Test
  void aFailedSyncIsAClearFailureWithTheAppsMessage() {
    faults.inject(SITE, "argocd", "calsys", "sync-fails", Map.of("message", "Job.batch \"tunablelaser\" is invalid"), 1);
    Instant before = Instant.now();
    argo.sync(SITE, "calsys");
    SyncProgress p = argo.awaitSync(SITE, "calsys", before, DEADLINE, Duration.ofMillis(50)).join();
    assertThat(p.state()).isEqualTo(SyncProgress.State.FAILED);
    assertThat(p.message()).contains("calsys").contains("Failed").contains("Job.batch \"tunablelaser\" is invalid");

    faults.inject(SITE, "argocd", "auxtel", "degraded", Map.of("message", "Job has reached the specified backoff limit"), 0);
    Instant again = Instant.now();
    argo.sync(SITE, "auxtel");
    SyncProgress degraded = argo.awaitSync(SITE, "auxtel", again, DEADLINE, Duration.ofMillis(50)).join();
    assertThat(degraded.state()).isEqualTo(SyncProgress.State.FAILED);
    assertThat(degraded.message()).contains("Degraded").contains("backoff limit");
  }

  @Test
  void anErrorPhaseIsAClearFailureWithTheAppsMessage() {
    faults.inject(SITE, "argocd", "envsys", "sync-errors", Map.of("message", "rpc error: code = Unknown desc = "
        + "ComparisonError: failed to load target state"), 1);
    Instant before = Instant.now();
    assertThat(argo.sync(SITE, "envsys")).isEqualTo(SyncStart.STARTED);
    SyncProgress p = argo.awaitSync(SITE, "envsys", before, DEADLINE, Duration.ofMillis(50)).join();
    assertThat(twin.phase(SITE, "envsys")).isEqualTo("Error");
    assertThat(p.state()).isEqualTo(SyncProgress.State.FAILED);
    assertThat(p.message()).contains("envsys").contains("ended Error").contains("failed to load target state");
  }

  @Test
  void aDegradedAppIsAFailureWhileItsOperationStillRuns() {
    faults.inject(SITE, "argocd", "obssys", "degraded", Map.of("message", "Job has reached the specified backoff limit"), 0);
    Instant before = Instant.now();
    assertThat(argo.sync(SITE, "obssys")).isEqualTo(SyncStart.STARTED);

    SyncProgress p = argo.progress(SITE, "obssys", before);

    // still Running after the poll, so it was Running when polled: Degraded is not waited out
    assertThat(twin.phase(SITE, "obssys")).isEqualTo("Running");
    assertThat(p.state()).isEqualTo(SyncProgress.State.FAILED);
    assertThat(p.app().operationPhase()).isEqualTo("Running");
    assertThat(p.message()).contains("obssys is Running but the app is Degraded").contains("backoff limit");
  }

  @Test
  void anExpiredSessionTokenIsRenewed() {
    argo.app(SITE, "love");
    faults.inject(SITE, "argocd", "*", "token-expired", Map.of(), 1);

    assertThat(argo.app(SITE, "love").name()).isEqualTo("love");

    List<ActionLog.Action> sessionActions = actions.actions(SITE).stream().filter(a -> a.target().equals("tts/session")).toList();
    assertThat(sessionActions).extracting(ActionLog.Action::action).containsExactly("login", "token-expired", "login");
  }

  @Test
  void anExpiredPreIssuedTokenIsAClearError() {
    String token = twin.issueToken(SITE);
    environment.setProperty("ARGOCD_TTS_TOKEN", token);
    sites = sites.with(SITE, s -> s.withCredentials(new Site.Credentials(null, null, "ARGOCD_TTS_TOKEN", null, null, null,
        null, null)));
    argo = client(Duration.ofSeconds(10));
    assertThat(argo.list(SITE, "telescope")).isNotEmpty();

    faults.inject(SITE, "argocd", "*", "token-expired", Map.of(), 1);
    assertThatThrownBy(() -> argo.app(SITE, "love")).isInstanceOf(ArgoCdException.class)
        .hasMessageContaining("ARGOCD_TTS_TOKEN").hasMessageContaining("expired").hasMessageNotContaining(token);

    environment.setProperty("ARGOCD_TTS_TOKEN", "");
    assertThatThrownBy(() -> argo.app(SITE, "love")).isInstanceOf(ArgoCdException.class)
        .hasMessageContaining("no Argo CD credentials").hasMessageContaining("ARGOCD_TTS_TOKEN");
  }

  @Test
  void aSlowApiTimesOutWithAClearError() {
    faults.inject(SITE, "argocd", "*", "slow", Map.of("millis", "3000"), 1);
    assertThatThrownBy(() -> client(Duration.ofMillis(300)).app(SITE, "auxtel")).isInstanceOf(ArgoCdException.class)
        .hasMessageContaining("did not answer within");
  }

  @Test
  void badNamesAndUnknownAppsAreClearErrors() {
    assertThatThrownBy(() -> argo.sync(SITE, "../session")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../session");
    assertThatThrownBy(() -> argo.app(SITE, "no-such-app")).isInstanceOf(ArgoCdException.class)
        .hasMessageContaining("404").hasMessageContaining("no-such-app");
  }
}
