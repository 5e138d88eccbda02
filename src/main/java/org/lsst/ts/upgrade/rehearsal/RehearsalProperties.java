package org.lsst.ts.upgrade.rehearsal;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.rehearsal.*}: the site twin.
 *
 * @param timeScale multiplies every latency-model duration (1 = realistic; tests use ~0.001)
 * @param latency per action kind, overriding {@link LatencyModel}'s defaults
 * @param autopilot complete user tasks with default answers
 * @param autopilotDelay how long the autopilot waits before completing a task
 * @param kafkaDeliveryTimeout how long the twin's SAL writers keep an event the broker does not
 *     take (Kafka down) before they drop it; not scaled
 */
@ConfigurationProperties("upgrade.rehearsal")
public record RehearsalProperties(
    @DefaultValue("1.0") double timeScale,
    Map<String, Duration> latency,
    @DefaultValue("false") boolean autopilot,
    @DefaultValue("2s") Duration autopilotDelay,
    @DefaultValue("30s") Duration kafkaDeliveryTimeout) {

  public RehearsalProperties {
    latency = latency == null ? Map.of() : Map.copyOf(latency);
    if (timeScale < 0) {
      throw new IllegalArgumentException("upgrade.rehearsal.time-scale must not be negative: " + timeScale);
    }
    if (kafkaDeliveryTimeout == null) {
      kafkaDeliveryTimeout = Duration.ofSeconds(30);
    }
    if (kafkaDeliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("upgrade.rehearsal.kafka-delivery-timeout must be at least 1s: "
          + kafkaDeliveryTimeout);
    }
  }
}
