package org.lsst.ts.upgrade.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.argocd.ArgoCd;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinServices;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The whole cycle on the rehearsal twin, through the application's beans: clean-up stops every
 * Kubernetes CSC (as the CSC monitor on Kafka sees it), the Argo CD syncs bring them back.
 * Uses the BTS only, put back in operation before and after (the application context is shared).
 */
@RehearsalTest
class CleanupAndSyncRehearsalTests {
  private static final String SITE = "bts";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Autowired ClusterCleanup cleanup;
  @Autowired ArgoCd argo;
  @Autowired CscStates states;
  @Autowired TwinServices services;
  @Autowired Sites sites;
  @Autowired TwinCscs cscs;
  @Autowired TwinReset reset;

  @Test
  void cleanupStopsTheCscsAndTheSyncsBringThemBack() {
    Site site = sites.require(SITE);
    List<CscId> onKubernetes = site.cscs().stream().filter(Site.Csc::onKubernetes).map(Site.Csc::id).toList();
    TwinSites twin = new TwinSites(reset, cscs, states);
    twin.inOperation(SITE);
    try {
      cleanupAndSync(site, onKubernetes);
    } finally {
      twin.inOperation(SITE);
    }
  }

  private void cleanupAndSync(Site site, List<CscId> onKubernetes) {
    ClusterCleanup.CleanupReport report = cleanup.cleanupAll(SITE, false);

    await().atMost(WAIT).until(() -> cleanup.stillPresent(SITE, report.remaining()).isEmpty());
    assertThat(report.deleted()).hasSizeGreaterThan(onKubernetes.size());
    assertThat(services.isUp(SITE, TwinServices.LOVE)).isFalse();
    // the monitor sees them go: heartbeats stop, and no OFFLINE was ever sent
    CscStates.AwaitResult gone = states.await(SITE, onKubernetes,
        s -> s.effectiveState() == SummaryState.OFFLINE && s.heartbeatAge() != null, WAIT).join();
    assertThat(gone.satisfied()).as("still beating: %s", gone.statuses()).isTrue();
    assertThat(gone.statuses()).extracting(CscStatus::reportedState).doesNotContain(SummaryState.OFFLINE);

    Instant before = Instant.now();
    List<String> apps = site.argocd().telescopeApps();
    apps.forEach(app -> assertThat(argo.sync(SITE, app)).isEqualTo(ArgoCd.SyncStart.STARTED));
    List<ArgoCd.SyncProgress> results = apps.stream()
        .map(app -> argo.awaitSync(SITE, app, before, WAIT, Duration.ofMillis(100))).map(CompletableFuture::join).toList();

    assertThat(results).allSatisfy(p -> assertThat(p.state()).as(p.message()).isEqualTo(ArgoCd.SyncProgress.State.SUCCEEDED));
    assertThat(services.isUp(SITE, TwinServices.LOVE)).isTrue();
    CscStates.AwaitResult back = states.await(SITE, onKubernetes, s -> s.effectiveState()
        == (site.enabledOnStart().contains(s.id()) ? SummaryState.ENABLED : SummaryState.STANDBY), WAIT).join();
    assertThat(back.satisfied()).as("not back: %s", back.statuses()).isTrue();
  }
}
