package org.lsst.ts.upgrade.argocd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.LatencyModel;
import org.lsst.ts.upgrade.rehearsal.RehearsalProperties;
import org.lsst.ts.upgrade.rehearsal.TwinArgoCd;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinKubernetes;
import org.lsst.ts.upgrade.rehearsal.TwinServices;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.rehearsal.SimulatedSites;
import org.springframework.mock.env.MockEnvironment;

/**
 * For tests of other packages: the twin's Argo CD and Kubernetes servers (no Spring context) and the
 * production client talking to them.
 */
public final class TwinArgoCdFixture implements AutoCloseable {
  private final SimulatedSites simulated = new SimulatedSites(new SiteProperties(null));
  /** The sites as the twin serves them (once it has started). */
  public final Sites sites;
  public final ActionLog actions = new ActionLog();
  public final FaultRegistry faults = new FaultRegistry();
  public final TwinArgoCd twin;
  public final ArgoCd argo;
  private final TwinKubernetes kubernetes;

  /** @param syncDuration how long a sync runs on the twin (the time scale of the tests is 0.002) */
  public TwinArgoCdFixture(Duration syncDuration) {
    var latency = new LatencyModel(new RehearsalProperties(0.002,
        Map.of("argocd.sync", syncDuration.multipliedBy(500)), false, Duration.ZERO, null));
    TwinCscs cscs = new TwinCscs(simulated, latency, actions);
    kubernetes = new TwinKubernetes(simulated, cscs, new TwinServices(), latency, actions);
    var environment = new MockEnvironment().withProperty(TwinArgoCd.USERNAME_PROPERTY, "admin")
        .withProperty(TwinArgoCd.PASSWORD_PROPERTY, "rehearsal-argocd");
    twin = new TwinArgoCd(simulated, kubernetes, cscs, latency, actions, faults, environment);
    sites = simulated.snapshot();
    argo = new HttpArgoCd(sites, new ArgoCdProperties(Duration.ofSeconds(5), Duration.ofSeconds(10), false,
        ArgoCdProperties.DEFAULT_SYNC_TIMEOUT), environment);
  }

  @Override
  public void close() throws Exception {
    for (Object o : List.of(twin, kubernetes)) {
      var stop = o.getClass().getDeclaredMethod("stop");
      stop.setAccessible(true);
      stop.invoke(o);
    }
  }
}
