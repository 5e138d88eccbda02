package org.lsst.ts.upgrade.runbook.hoststeps;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.runbook.host-steps.*}: how long a host step's commands usually take. Past it a
 * person is asked at once (wait, or stop waiting: the step's failure task), long before the hard
 * deadline {@code upgrade.ssh.detached-timeout}.
 *
 * @param expectedDuration the soft deadline of a host step with no figure of its own
 * @param expected per host step, named as in the runbook ({@code camera-shutdown}, {@code
 *     bare-metal-shutdown}, {@code bare-metal-startup}, {@code update-repos}, {@code ess-update},
 *     {@code crio-startup}, {@code crio-recovery}, {@code restart-host}; {@code CAMERA_SHUTDOWN} works too)
 */
@ConfigurationProperties("upgrade.runbook.host-steps")
public record HostStepProperties(@DefaultValue("5m") Duration expectedDuration, Map<String, Duration> expected) {

  public HostStepProperties {
    Map<String, Duration> byStep = new LinkedHashMap<>();
    if (expected != null) {
      expected.forEach((k, d) -> byStep.put(normalize(k), d));
    }
    expected = Map.copyOf(byStep);
  }

  /** The soft deadline of a host step ({@link RunHostCommands.Step} name). */
  public Duration expectedFor(String step) {
    return step == null ? expectedDuration : expected.getOrDefault(normalize(step), expectedDuration);
  }

  private static String normalize(String step) {
    return step.strip().toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
