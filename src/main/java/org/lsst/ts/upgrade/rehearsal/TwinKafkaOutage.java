package org.lsst.ts.upgrade.rehearsal;

import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The Kafka outage fault: while a fault {@code system: kafka, kind: down} is in force, the twin's
 * broker is stopped (clients find nothing listening on its port); once the fault is removed (or
 * the faults cleared, or the site reset) it is started again on the same port with its data. The
 * twin has one broker for every site, so the fault takes Kafka down for every site, whatever its
 * {@code site} says. A broker stopped by other means (tests calling {@link TwinKafkaBroker#stop})
 * is left alone.
 */
@Component
@Profile("rehearsal")
public class TwinKafkaOutage {
  private static final Logger log = LoggerFactory.getLogger(TwinKafkaOutage.class);
  static final String SYSTEM = "kafka";
  static final String KIND = "down";

  private final FaultRegistry faults;
  private final TwinKafkaBroker broker;
  private final ActionLog actions;
  private final SimulatedSites sites;
  private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "twin-kafka-outage");
    t.setDaemon(true);
    return t;
  });
  /** The fault stopped the broker (so its removal starts it again). */
  private volatile boolean downByFault;

  public TwinKafkaOutage(FaultRegistry faults, TwinKafka kafka, ActionLog actions, SimulatedSites sites) {
    this.faults = faults;
    this.sites = sites;
    this.broker = kafka.broker();
    this.actions = actions;
    watch.scheduleWithFixedDelay(this::apply, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Whether the fault holds the broker down now. */
  public boolean down() {
    return downByFault;
  }

  private void apply() {
    try {
      boolean wanted = faults.list().stream().anyMatch(f -> SYSTEM.equals(f.system()) && KIND.equals(f.kind()));
      if (wanted && !downByFault && broker.running()) {
        log.warn("twin Kafka fault: stopping the broker {} (every site)", broker.bootstrapServers());
        broker.stop();
        downByFault = true;
        record("broker down");
      } else if (!wanted && downByFault) {
        log.info("twin Kafka fault removed: starting the broker {} again", broker.bootstrapServers());
        broker.start();
        downByFault = false;
        record("broker up");
      }
    } catch (RuntimeException e) {
      log.warn("twin Kafka outage fault: {}", e.toString());
    }
  }

  private void record(String what) {
    for (String site : sites.ids()) {
      actions.record(site, SYSTEM, broker.bootstrapServers(), what, Map.of());
    }
  }

  @PreDestroy
  void stop() {
    watch.shutdownNow();
  }
}
