package org.lsst.ts.upgrade.runbook.preflight;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Right after the start, in the background, does what the first run's preflight and plan would
 * otherwise do first in a fresh JVM: parse the deployed process models (the plan lists the Slack
 * notices from them; the engine keeps the parsed models) and load the Kubernetes client. Without it
 * the first plan took 3–5 s longer on a 2-core machine, with a person waiting for it. Reads nothing
 * from any site.
 */
@Component
class WarmUpAfterStart {
  private static final Logger log = LoggerFactory.getLogger(WarmUpAfterStart.class);

  private final ObjectProvider<RepositoryService> repository;
  private final ObjectProvider<ClusterCleanup> cleanup;

  WarmUpAfterStart(ObjectProvider<RepositoryService> repository, ObjectProvider<ClusterCleanup> cleanup) {
    this.repository = repository;
    this.cleanup = cleanup;
  }

  @EventListener(ApplicationReadyEvent.class)
  void afterStart() {
    Thread t = new Thread(this::warmUp, "warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** Parses the latest version of every deployed process model, then warms the Kubernetes client. */
  void warmUp() {
    long t0 = System.nanoTime();
    int models = 0;
    try {
      RepositoryService r = repository.getIfAvailable();
      if (r != null) {
        for (ProcessDefinition d : r.createProcessDefinitionQuery().latestVersion().list()) {
          r.getBpmnModelInstance(d.getId());
          models++;
        }
      }
      ClusterCleanup c = cleanup.getIfAvailable();
      if (c != null) {
        c.warmUp();
      }
      log.debug("warmed up in {} ms: {} process models parsed, Kubernetes client loaded", (System.nanoTime() - t0) / 1_000_000,
          models);
    } catch (RuntimeException e) {
      // only time is at stake: the first run does the same work itself
      log.info("warm-up after start not finished ({}): the first run's plan takes a few seconds longer", e.toString());
    }
  }
}
