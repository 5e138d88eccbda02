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
 */
@ConfigurationProperties("upgrade.rehearsal")
public record RehearsalProperties(
    @DefaultValue("1.0") double timeScale,
    Map<String, Duration> latency,
    @DefaultValue("false") boolean autopilot,
    @DefaultValue("2s") Duration autopilotDelay) {

  public RehearsalProperties {
    latency = latency == null ? Map.of() : Map.copyOf(latency);
    if (timeScale < 0) {
      throw new IllegalArgumentException("upgrade.rehearsal.time-scale must not be negative: " + timeScale);
    }
  }
}
