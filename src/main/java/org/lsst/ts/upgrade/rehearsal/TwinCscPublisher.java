package org.lsst.ts.upgrade.rehearsal;

import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;
import org.springframework.stereotype.Component;

/**
 * Makes the simulated CSCs ({@link TwinCscs}) speak on the twin's Kafka as salobj CSCs do: every
 * running CSC publishes {@code heartbeat} at 1 Hz (real time: the monitor's heartbeat timeout is
 * not scaled), and {@code summaryState} at start and on every change. The first states' publication
 * is timed as a startup step ({@code upgrade.twin.csc-first-states}, the startup report's).
 */
@Component
@Profile("rehearsal")
public class TwinCscPublisher {
  private static final Logger log = LoggerFactory.getLogger(TwinCscPublisher.class);

  private final TwinCscs cscs;
  private final TwinKafka kafka;
  private final SimulatedSites sites;
  private final ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "twin-csc-heartbeats");
    t.setDaemon(true);
    return t;
  });

  public TwinCscPublisher(TwinCscs cscs, TwinKafka kafka, SimulatedSites sites, ApplicationStartup startup) {
    this.cscs = cscs;
    this.kafka = kafka;
    this.sites = sites;
    cscs.addListener(new TwinCscs.Listener() {
      @Override
      public void summaryState(String site, CscId id, SummaryState state) {
        publishState(site, id, state);
      }

      @Override
      public void beating(String site, CscId id, boolean beating) {
        if (beating) {
          heartbeat(site, id);
        }
      }
    });
    StartupStep firstStates = startup.start("upgrade.twin.csc-first-states");
    int published = 0;
    for (String site : sites.ids()) {
      for (TwinCscs.SimulatedCsc c : cscs.all(site)) {
        if (c.beating()) {
          publishState(site, c.id(), c.state());
          published++;
        }
      }
    }
    firstStates.tag("cscs", String.valueOf(published)).end();
    beat.scheduleAtFixedRate(this::beatAll, 0, 1, TimeUnit.SECONDS);
  }

  private void beatAll() {
    try {
      for (String site : sites.ids()) {
        for (TwinCscs.SimulatedCsc c : cscs.all(site)) {
          if (c.beating()) {
            heartbeat(site, c.id());
          }
        }
      }
    } catch (RuntimeException e) {
      // never let one failure stop the heartbeats of every CSC
      log.warn("twin heartbeat round failed: {}", e.toString());
    }
  }

  private void heartbeat(String site, CscId id) {
    kafka.publish(site, id, "heartbeat", Map.of("heartbeat", true));
  }

  private void publishState(String site, CscId id, SummaryState state) {
    try {
      kafka.publish(site, id, "summaryState", Map.of("summaryState", state.code()));
    } catch (RuntimeException e) {
      log.warn("twin could not publish summaryState {} of {}/{}: {}", state, site, id, e.toString());
    }
  }

  @PreDestroy
  void stop() {
    beat.shutdownNow();
  }
}
