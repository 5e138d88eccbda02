package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.SummaryState;

/**
 * For rehearsal tests that change a twin site: the application context (and so the twin) is
 * shared by every {@code @RehearsalTest} class, so such a test starts from a site put back in
 * operation, whatever ran before it, and once the CSC monitor sees it so.
 */
public final class TwinSites {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final TwinReset reset;
  private final TwinCscs cscs;
  private final CscStates states;

  public TwinSites(TwinReset reset, TwinCscs cscs, CscStates states) {
    this.reset = reset;
    this.cscs = cscs;
    this.states = states;
  }

  /** Resets the site and waits until the monitor's effective states are the twin's initial ones. */
  public void inOperation(String site) {
    await().atMost(WAIT).until(() -> states.historyRead(site));
    reset.reset(site);
    var ids = cscs.all(site).stream().map(TwinCscs.SimulatedCsc::id).toList();
    CscStates.AwaitResult r = states.await(site, ids, s -> s.effectiveState() != SummaryState.OFFLINE
        && s.effectiveState() == cscs.get(site, s.id()).state(), WAIT).join();
    assertThat(r.satisfied()).as("twin site %s not back in operation: %s", site, r.statuses()).isTrue();
  }
}
