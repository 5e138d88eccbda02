package org.lsst.ts.upgrade.rehearsal;

import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Puts one twin site back "in operation", as the twin started it, so that rehearsals can follow
 * each other without restarting the application: the site's injected faults are removed, its
 * cluster's missing objects are created again and the LOVE-manager is up, its hosts are up, its
 * CSCs run in their initial states, its ScriptQueues are empty and running, and the schema
 * registry's compatibility is FORWARD again. Runs in progress are not touched (cancel them first);
 * the action log is kept.
 */
@Component
@Profile("rehearsal")
public class TwinReset {
  static final String INITIAL_COMPATIBILITY = "FORWARD";

  private final SimulatedSites sites;
  private final FaultRegistry faults;
  private final TwinKubernetes kubernetes;
  private final TwinServices services;
  private final TwinSshHosts hosts;
  private final TwinCscs cscs;
  private final TwinLoveQueues queues;
  private final TwinKafka kafka;
  private final ActionLog actions;

  public TwinReset(SimulatedSites sites, FaultRegistry faults, TwinKubernetes kubernetes, TwinServices services,
      TwinSshHosts hosts, TwinCscs cscs, TwinLoveQueues queues, TwinKafka kafka, ActionLog actions) {
    this.sites = sites;
    this.faults = faults;
    this.kubernetes = kubernetes;
    this.services = services;
    this.hosts = hosts;
    this.cscs = cscs;
    this.queues = queues;
    this.kafka = kafka;
    this.actions = actions;
  }

  /** Resets the site; an unknown site is refused with the list of known ones. */
  public void reset(String site) {
    sites.require(site);
    faults.clear(site);
    kubernetes.restore(site);
    services.setUp(site, TwinServices.LOVE, true);
    hosts.reset(site);
    cscs.reset(site);
    queues.reset(site);
    kafka.registry().setCompatibility(site, INITIAL_COMPATIBILITY);
    actions.record(site, "rehearsal", site, "reset", Map.of());
  }
}
