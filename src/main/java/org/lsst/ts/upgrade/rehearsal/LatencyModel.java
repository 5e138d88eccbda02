package org.lsst.ts.upgrade.rehearsal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * How long each kind of action takes at a real site, scaled by {@code upgrade.rehearsal.time-scale}.
 * Twin servers ask it for every delay they simulate; tests scale everything down.
 */
@Component
@Profile("rehearsal")
public class LatencyModel {

  /** Realistic durations (time scale 1) of the actions the twin simulates. */
  static final Map<String, Duration> DEFAULTS = Map.ofEntries(
      Map.entry("csc.command", Duration.ofSeconds(1)),
      Map.entry("csc.start", Duration.ofSeconds(15)),
      Map.entry("script.load", Duration.ofSeconds(3)),
      Map.entry("script.step", Duration.ofSeconds(2)),
      // a script asked to stop (cmd_stopScripts) cleaning up before it reports STOPPED
      Map.entry("script.stop", Duration.ofSeconds(2)),
      Map.entry("love.request", Duration.ofMillis(200)),
      // LOVE-commander's wait for a CSC's ack before LOVE answers 504
      Map.entry("love.command-timeout", Duration.ofSeconds(10)),
      Map.entry("argocd.request", Duration.ofMillis(200)),
      Map.entry("argocd.sync", Duration.ofSeconds(30)),
      Map.entry("kubernetes.delete", Duration.ofSeconds(5)),
      Map.entry("ssh.command", Duration.ofSeconds(2)),
      Map.entry("ssh.service", Duration.ofSeconds(10)),
      Map.entry("ssh.update-repo", Duration.ofSeconds(15)),
      Map.entry("crio.rebuild", Duration.ofMinutes(60)),
      Map.entry("host.reboot", Duration.ofMinutes(3)),
      Map.entry("slack.post", Duration.ofMillis(100)),
      Map.entry("schema-registry.request", Duration.ofMillis(50)));

  private final double timeScale;
  private final Map<String, Duration> base = new HashMap<>(DEFAULTS);

  public LatencyModel(RehearsalProperties properties) {
    this.timeScale = properties.timeScale();
    base.putAll(properties.latency());
  }

  /** The scaled duration of an action kind; an unknown kind is a programming error. */
  public Duration of(String kind) {
    Duration d = base.get(kind);
    if (d == null) {
      throw new IllegalArgumentException("no latency defined for action kind '" + kind + "'; known: " + base.keySet());
    }
    return Duration.ofNanos((long) (d.toNanos() * timeScale));
  }

  public double timeScale() {
    return timeScale;
  }
}
