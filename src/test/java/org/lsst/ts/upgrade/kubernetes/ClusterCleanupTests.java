package org.lsst.ts.upgrade.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.LatencyModel;
import org.lsst.ts.upgrade.rehearsal.RehearsalProperties;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinKubernetes;
import org.lsst.ts.upgrade.rehearsal.TwinServices;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.rehearsal.SimulatedSites;

/** The production clean-up against the twin's mock Kubernetes API servers (no Spring context). */
class ClusterCleanupTests {
  private static final String SITE = "tts";

  private Sites sites;
  private ActionLog actions;
  private TwinCscs cscs;
  private TwinServices services;
  private TwinKubernetes twin;
  private KubernetesClients clients;
  private ClusterCleanup cleanup;
  private KubernetesClient cluster;

  @BeforeEach
  void startTwin() {
    SimulatedSites simulated = new SimulatedSites(new SiteProperties(null));
    var latency = new LatencyModel(new RehearsalProperties(0.002, Map.of(), false, Duration.ZERO, null));
    actions = new ActionLog();
    cscs = new TwinCscs(simulated, latency, actions);
    services = new TwinServices();
    twin = new TwinKubernetes(simulated, cscs, services, latency, actions);
    sites = simulated.snapshot();
    clients = new KubernetesClients(sites, new KubernetesProperties(null, false, Duration.ofSeconds(10), Duration.ofSeconds(10)));
    cleanup = new Fabric8ClusterCleanup(sites, clients, new KubernetesProperties(null, false, Duration.ofSeconds(10),
        Duration.ofSeconds(10)));
    cluster = twin.client(SITE);
  }

  @AfterEach
  void stopTwin() throws Exception {
    clients.close();
    var stop = TwinKubernetes.class.getDeclaredMethod("stop");
    stop.setAccessible(true);
    stop.invoke(twin);
  }

  /** The run's timer loop, without the engine: looks again until nothing the clean-up left is there. */
  private void assertGoneSoon(ClusterCleanup.CleanupReport report) {
    await().atMost(Duration.ofSeconds(10)).until(() -> cleanup.stillPresent(SITE, report.remaining()).isEmpty());
  }

  private List<String> jobs(String ns) {
    return cluster.batch().v1().jobs().inNamespace(ns).list().getItems().stream().map(j -> j.getMetadata().getName()).toList();
  }

  @Test
  void theWarmUpCallsNoCluster() {
    int before = actions.actions(SITE).size();
    cleanup.warmUp(); // its client points at a closed port: a call would fail
    assertThat(actions.actions(SITE)).hasSize(before);
  }

  @Test
  void cleanupAllLeavesNoCscJobAndStopsTheSimulators() {
    CscId sq1 = CscId.parse("ScriptQueue:1");
    assertThat(cscs.get(SITE, sq1).beating()).isTrue();
    assertThat(jobs("obssys")).contains("scriptqueue1");

    ClusterCleanup.CleanupReport report = cleanup.cleanupAll(SITE, false);

    assertGoneSoon(report);
    assertThat(report.dryRun()).isFalse();
    assertThat(report.deleted()).contains("Job/obssys/scriptqueue1", "Job/auxtel/atdome", "Job/love/love-commander",
        "Deployment/love/love-manager-frontend", "HorizontalPodAutoscaler/love/love-manager-frontend",
        "Job/uws/atocps", "Job/uws/ccocps", "Job/uws/raocps");
    for (String ns : sites.require(SITE).kubernetes().cscNamespaces()) {
      if (!ns.equals("uws")) {
        assertThat(jobs(ns)).as("Jobs left in %s", ns).isEmpty();
      }
    }
    // uws: only the OCPS Jobs the site's selector names
    assertThat(jobs("uws")).containsExactly("uws-db-cleanup");
    assertThat(cluster.apps().deployments().inNamespace("love").list().getItems()).isEmpty();
    assertThat(cluster.pods().inNamespace("obssys").list().getItems()).isEmpty();
    // every CSC that ran as a Job stops beating, without an OFFLINE event
    sites.require(SITE).cscs().stream().filter(c -> c.onKubernetes()).forEach(c ->
        await().atMost(Duration.ofSeconds(5)).until(() -> !cscs.get(SITE, c.id()).beating()));
    assertThat(cscs.get(SITE, sq1).state()).isNotEqualTo(org.lsst.ts.upgrade.site.SummaryState.OFFLINE);
    // those on hosts are untouched
    assertThat(cscs.get(SITE, CscId.parse("ATCamera")).beating()).isTrue();
    // LOVE-manager is down with its namespace
    assertThat(services.isUp(SITE, TwinServices.LOVE)).isFalse();
    assertThat(actions.actions(SITE)).anyMatch(a -> a.system().equals("kubernetes") && a.action().equals("deleted")
        && a.target().equals("tts/Job/obssys/scriptqueue1"));

    // twice is harmless
    ClusterCleanup.CleanupReport again = cleanup.cleanupAll(SITE, false);
    assertThat(again.deleted()).isEmpty();
    assertGoneSoon(again);
    // what the inventory expects is reported gone (uws: selector-based, nothing expected by name)
    assertThat(again.alreadyGone()).contains("Job/obssys/scriptqueue1", "Job/auxtel/atdome", "Job/envsys/weatherforecast")
        .noneMatch(k -> k.startsWith("Job/uws/"));
  }

  @Test
  void everyRequestTheApiServerAnswersIsTheSitesTimeButNotAnAction() {
    int actionsBefore = actions.actions(SITE).size();
    int before = actions.servingTimes(SITE).size();
    cluster.pods().inNamespace("obssys").list();
    cluster.namespaces().withName("obssys").get();
    assertThat(actions.servingTimes(SITE)).hasSize(before + 2)
        .allSatisfy(r -> assertThat(r.end()).isAfterOrEqualTo(r.start()));
    // and reads are not actions: the log says what was done to the site
    assertThat(actions.actions(SITE)).hasSize(actionsBefore);
  }

  @Test
  void theAccessCheckReadsNamespacesAndAsksTheClusterWithoutChangingAnything() {
    var k = sites.require(SITE).kubernetes();
    int before = actions.actions(SITE).size();
    // the twin's account may delete everything a clean-up needs; every namespace exists
    assertThat(cleanup.accessProblems(SITE, k.cscNamespaces(), true)).isEmpty();
    // a namespace the site file names but the cluster lacks is named, with where and what to do
    assertThat(cleanup.accessProblems(SITE, List.of("auxtel", "no-such-namespace"), false)).singleElement()
        .satisfies(p -> assertThat(p).contains("namespace no-such-namespace does not exist").contains("kubectl get namespaces"));
    // a question, not an object: nothing stored, nothing recorded, no Job touched
    assertThat(actions.actions(SITE)).hasSize(before);
    assertThat(jobs("obssys")).contains("scriptqueue1");
  }

  @Test
  void deletingOneCscClassTouchesOnlyThatClass() {
    ClusterCleanup.CleanupReport report = cleanup.deleteJobsOfClass(SITE, "obssys", "scriptqueue", false);

    assertThat(report.deleted()).containsExactlyInAnyOrder("Job/obssys/scriptqueue1", "Job/obssys/scriptqueue2",
        "Job/obssys/scriptqueue3");
    assertGoneSoon(report);
    assertThat(jobs("obssys")).doesNotContain("scriptqueue1", "scriptqueue2", "scriptqueue3")
        .contains("watcher", "scheduler1", "gis");
    await().atMost(Duration.ofSeconds(5)).until(() -> !cscs.get(SITE, CscId.parse("ScriptQueue:2")).beating());
    assertThat(cscs.get(SITE, CscId.parse("Watcher")).beating()).isTrue();
    assertThat(cscs.get(SITE, CscId.parse("Scheduler:1")).beating()).isTrue();
  }

  @Test
  void deletingOneCscClassTwiceReportsItsJobsAsAlreadyGone() {
    assertThat(cleanup.deleteJobsOfClass(SITE, "obssys", "scriptqueue", false).deleted()).hasSize(3);

    ClusterCleanup.CleanupReport again = cleanup.deleteJobsOfClass(SITE, "obssys", "scriptqueue", false);

    assertThat(again.deleted()).isEmpty();
    assertThat(again.alreadyGone()).containsExactlyInAnyOrder("Job/obssys/scriptqueue1", "Job/obssys/scriptqueue2",
        "Job/obssys/scriptqueue3");
    assertGoneSoon(again);
    assertThat(jobs("obssys")).contains("watcher", "scheduler1");
  }

  @Test
  void planModeOfOneCscClassDeletesNothing() {
    // one of the class deleted by hand beforehand
    cluster.batch().v1().jobs().inNamespace("obssys").withName("scriptqueue2").delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> !jobs("obssys").contains("scriptqueue2"));
    List<String> before = jobs("obssys");

    ClusterCleanup.CleanupReport plan = cleanup.deleteJobsOfClass(SITE, "obssys", "scriptqueue", true);

    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.deleted()).containsExactlyInAnyOrder("Job/obssys/scriptqueue1", "Job/obssys/scriptqueue3");
    assertThat(plan.alreadyGone()).containsExactly("Job/obssys/scriptqueue2");
    assertThat(jobs("obssys")).containsExactlyInAnyOrderElementsOf(before).contains("scriptqueue1", "scriptqueue3");
    assertThat(cscs.get(SITE, CscId.parse("ScriptQueue:1")).beating()).isTrue();
    assertThat(actions.actions(SITE)).noneMatch(a -> a.system().equals("kubernetes") && a.action().equals("deleted")
        && a.target().startsWith("tts/Job/obssys/scriptqueue1"));
  }

  @Test
  void nubladoCleanupDeletesOnlyUserNamespaces() {
    ClusterCleanup.CleanupReport report = cleanup.cleanupNublado(SITE, false);

    assertThat(report.deleted()).containsExactlyInAnyOrder("Namespace/nublado-alice", "Namespace/nublado-bob",
        "Namespace/nublado-carol");
    assertGoneSoon(report);
    assertThat(cluster.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
        .contains("nublado", "obssys", "love").doesNotContain("nublado-alice", "nublado-bob", "nublado-carol");
    assertThat(cleanup.cleanupNublado(SITE, false).deleted()).isEmpty();
  }

  @Test
  void planModeDeletesNothing() {
    int before = cluster.batch().v1().jobs().inAnyNamespace().list().getItems().size();

    ClusterCleanup.CleanupReport plan = cleanup.cleanupAll(SITE, true);

    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.deleted()).contains("Job/obssys/scriptqueue1", "Deployment/love/love-nginx")
        .doesNotContain("Job/uws/uws-db-cleanup");
    assertThat(cluster.batch().v1().jobs().inAnyNamespace().list().getItems()).hasSize(before);
    assertThat(cleanup.cleanupNublado(SITE, true).deleted()).hasSize(3);
    assertThat(cluster.namespaces().withName("nublado-bob").get()).isNotNull();
    assertThat(cscs.get(SITE, CscId.parse("ScriptQueue:1")).beating()).isTrue();
    assertThat(services.isUp(SITE, TwinServices.LOVE)).isTrue();
  }

  @Test
  void somethingThatDoesNotGoAwayIsReportedAsRemaining() {
    // a finalizer nobody removes keeps the Job (marked for deletion) in the cluster
    Job stuck = cluster.batch().v1().jobs().inNamespace("obssys").withName("watcher").get();
    stuck.getMetadata().setFinalizers(List.of("rehearsal.lsst.org/stuck"));
    cluster.resource(stuck).update();
    var cleanupWithShortDeadline = new Fabric8ClusterCleanup(sites, clients,
        new KubernetesProperties(null, false, Duration.ofMillis(500), Duration.ofSeconds(10)));

    ClusterCleanup.CleanupReport report = cleanupWithShortDeadline.deleteJobsOfClass(SITE, "obssys", "watcher", false);

    assertThat(report.deleted()).containsExactly("Job/obssys/watcher");
    assertThat(report.verified()).isFalse();
    assertThat(report.remaining()).contains("Job/obssys/watcher");
    // the run's timer loop looks again with one listing: still there while the finalizer holds it
    assertThat(cleanup.stillPresent(SITE, report.remaining())).contains("Job/obssys/watcher");
    Job marked = cluster.batch().v1().jobs().inNamespace("obssys").withName("watcher").get();
    marked.getMetadata().setFinalizers(List.of());
    cluster.resource(marked).update();
    await().atMost(Duration.ofSeconds(5)).until(() -> cleanup.stillPresent(SITE, report.remaining()).isEmpty());
  }

  @Test
  void aCleanupPastItsStepBudgetStopsBeforeItsNextCallSayingWhatItDidAndARetryGoesOn() {
    // a budget spent at once stands for a cluster that answers so slowly the job would outlast its lock
    var outOfTime = new Fabric8ClusterCleanup(sites, clients, new KubernetesProperties(null, false, Duration.ofSeconds(10),
        Duration.ofSeconds(10), Duration.ofSeconds(5), 1, Duration.ofSeconds(1), Duration.ofNanos(1)));

    assertThatThrownBy(() -> outOfTime.deleteJobsOfClass(SITE, "obssys", "scriptqueue", false))
        .isInstanceOf(ClusterCleanupException.class).hasMessageContaining("upgrade.kubernetes.step-budget")
        .hasMessageContaining("nothing deleted yet").hasMessageContaining("A retry continues");
    assertThat(jobs("obssys")).contains("scriptqueue1", "scriptqueue2", "scriptqueue3");

    // the step's retry (idempotent) does the work
    assertThat(cleanup.deleteJobsOfClass(SITE, "obssys", "scriptqueue", false).deleted()).hasSize(3);
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> cleanup.deleteJobsOfClass(SITE, "kube-system", "scriptqueue", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kube-system")
        .hasMessageContaining("CSC namespaces");
    assertThatThrownBy(() -> cleanup.deleteJobsOfClass(SITE, "obssys", "a,b in (c)", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("csc-class");
    assertThatThrownBy(() -> cleanup.cleanupAll("nowhere", false)).hasMessageContaining("nowhere");
  }
}
