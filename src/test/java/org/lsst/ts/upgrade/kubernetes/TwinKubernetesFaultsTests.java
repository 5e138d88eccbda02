package org.lsst.ts.upgrade.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.LatencyModel;
import org.lsst.ts.upgrade.rehearsal.RehearsalProperties;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinKubernetes;
import org.lsst.ts.upgrade.rehearsal.TwinServices;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.rehearsal.SimulatedSites;

/**
 * The twin's Kubernetes fault kinds, seen through the production client (fabric8, real HTTP against
 * the twin's mock API server): API errors, a delete RBAC refuses, an object that survives its delete.
 */
class TwinKubernetesFaultsTests {
  private static final String SITE = "tts";

  private Sites sites;
  private ActionLog actions;
  private FaultRegistry faults;
  private TwinKubernetes twin;
  private KubernetesClients clients;
  private ClusterCleanup cleanup;
  private KubernetesClient cluster;

  @BeforeEach
  void startTwin() {
    SimulatedSites simulated = new SimulatedSites(new SiteProperties(null));
    var latency = new LatencyModel(new RehearsalProperties(0.002, Map.of(), false, Duration.ZERO, null));
    actions = new ActionLog();
    faults = new FaultRegistry();
    twin = new TwinKubernetes(simulated, new TwinCscs(simulated, latency, actions), new TwinServices(), latency, actions, faults);
    var properties = new KubernetesProperties(null, false, Duration.ofSeconds(10), Duration.ofSeconds(10));
    sites = simulated.snapshot();
    clients = new KubernetesClients(sites, properties);
    cleanup = new Fabric8ClusterCleanup(sites, clients, properties);
    cluster = clients.forSite(SITE);
  }

  @AfterEach
  void stopTwin() throws Exception {
    clients.close();
    var stop = TwinKubernetes.class.getDeclaredMethod("stop");
    stop.setAccessible(true);
    stop.invoke(twin);
  }

  private List<String> jobs(String ns) {
    return twin.client(SITE).batch().v1().jobs().inNamespace(ns).list().getItems().stream()
        .map(j -> j.getMetadata().getName()).toList();
  }

  @Test
  void aForbiddenDeleteIsRefusedAs403AndTheAccessCheckSeesIt() {
    faults.inject(SITE, "kubernetes", "obssys", "forbidden-delete", Map.of(), 0);

    assertThatThrownBy(() -> cluster.batch().v1().jobs().inNamespace("obssys").withName("scriptqueue1").delete())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("cannot delete").contains("obssys");
        });
    assertThat(jobs("obssys")).contains("scriptqueue1");
    // the preflight's SelfSubjectAccessReview is refused there, and only there
    assertThat(cleanup.accessProblems(SITE, List.of("auxtel", "obssys"), false)).isNotEmpty()
        .allMatch(p -> p.contains("obssys"));
    // reads and other namespaces are not affected
    cluster.batch().v1().jobs().inNamespace("auxtel").withName("atdome").delete();
    assertThat(jobs("auxtel")).doesNotContain("atdome");
    assertThat(actions.actions(SITE)).anyMatch(a -> a.system().equals("kubernetes") && a.action().equals("fault")
        && a.target().equals("tts/obssys") && a.params().get("kind").equals("forbidden-delete"));
  }

  @Test
  void aRefusedDeleteIsToldWithEverythingTheCleanupDeletedBesideItAndARetryGoesOn() {
    faults.inject(SITE, "kubernetes", "obssys", "forbidden-delete", Map.of(), 0);

    // the deletes go side by side: the refused ones stop nothing else, the first is told
    assertThatThrownBy(() -> cleanup.cleanupAll(SITE, false)).isInstanceOf(ClusterCleanupException.class)
        .hasMessageContaining("deleting Job/obssys/").hasMessageContaining("HTTP 403")
        .hasMessageContaining("deleted before the failure").hasMessageContaining("Job/auxtel/atdome");
    assertThat(jobs("obssys")).contains("scriptqueue1");
    assertThat(jobs("auxtel")).doesNotContain("atdome");

    // the step's retry (idempotent) finishes the work once the cause is fixed
    faults.clear(SITE);
    ClusterCleanup.CleanupReport retry = cleanup.cleanupAll(SITE, false);
    assertThat(retry.deleted()).contains("Job/obssys/scriptqueue1").doesNotContain("Job/auxtel/atdome");
    assertThat(retry.alreadyGone()).contains("Job/auxtel/atdome");
  }

  @Test
  void anObjectThatSurvivesItsDeleteStaysAndItsPodsToo() throws Exception {
    faults.inject(SITE, "kubernetes", "auxtel", "survives-delete", Map.of(), 0);

    cluster.batch().v1().jobs().inNamespace("auxtel").withName("atdome").delete();
    // the object stays: still there throughout the time the twin's garbage collection takes to act
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
        .until(() -> jobs("auxtel").contains("atdome"));
    assertThat(twin.present(SITE)).contains("Job/auxtel/atdome");

    // cleared, the next delete goes through
    faults.clear(SITE);
    cluster.batch().v1().jobs().inNamespace("auxtel").withName("atdome").delete();
    assertThat(jobs("auxtel")).doesNotContain("atdome");
  }

  @Test
  void anApiErrorAnswersItsStatusForItsMethodAndCountedFaultsWearOff() {
    // one 500 on a read: fabric8 retries server errors with a back-off, so a transient one is absorbed
    faults.inject(SITE, "kubernetes", "*", "api-error", Map.of("status", "500", "method", "GET"), 1);
    assertThat(cluster.batch().v1().jobs().inNamespace("obssys").list().getItems()).isNotEmpty();
    assertThat(actions.actions(SITE)).anyMatch(a -> a.action().equals("fault") && a.params().get("kind").equals("api-error")
        && a.params().get("method").equals("GET"));
    assertThat(faults.list()).isEmpty();

    // a client error in force is not retried: the caller sees its status at once
    faults.inject(SITE, "kubernetes", "obssys", "api-error", Map.of("status", "403"), 0);
    assertThatThrownBy(() -> cluster.batch().v1().jobs().inNamespace("obssys").withName("scriptqueue1").delete())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(cluster.batch().v1().jobs().inNamespace("auxtel").list().getItems()).isNotEmpty();
    faults.clear(SITE);
    assertThat(jobs("obssys")).contains("scriptqueue1");
  }

  @Test
  void aLasting503IsTriedOnlyTheBoundedNumberOfTimesSoNoCallOutlastsTheJobLock() {
    // fabric8's own default retries a 5xx ten times with exponential back-off (minutes on a lasting 503)
    faults.inject(SITE, "kubernetes", "*", "api-error", Map.of("status", "503", "method", "GET"), 0);
    int before = actions.actions(SITE).size();

    assertThatThrownBy(() -> cluster.batch().v1().jobs().inNamespace("obssys").list())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(503));

    // upgrade.kubernetes.request-retries (1): the request and one retry, then the caller sees the error
    assertThat(actions.actions(SITE).subList(before, actions.actions(SITE).size()))
        .filteredOn(a -> a.action().equals("fault")).hasSize(2);
    // the defaults bound one call (every try timing out, with the back-off) well under the 2-minute lock
    assertThat(new KubernetesProperties(null, false, Duration.ofMinutes(2), Duration.ofSeconds(15)).callBound())
        .isLessThanOrEqualTo(Duration.ofSeconds(45));
    faults.clear(SITE);
  }
}
