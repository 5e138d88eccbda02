package org.lsst.ts.upgrade.rehearsal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The sites the twin simulates: the configured site files, which the twin's servers point at
 * themselves as they start (their URLs, the hosts' loopback ports). The twin's own registry: the
 * orchestrator's {@link Sites} is built afterwards from the files the twin writes of these
 * ({@link TwinSiteDirectory} in the same JVM, {@link TwinSiteFiles} for an orchestrator of its own)
 * and never changes.
 */
@Component
@Profile("rehearsal")
public class SimulatedSites {
  private final AtomicReference<Sites> current;

  public SimulatedSites(SiteProperties properties) {
    this.current = new AtomicReference<>(new Sites(properties));
  }

  public List<Site> all() {
    return current.get().all();
  }

  public Optional<Site> find(String id) {
    return current.get().find(id);
  }

  public Site require(String id) {
    return current.get().require(id);
  }

  public Collection<String> ids() {
    return current.get().ids();
  }

  /** The sites as simulated now: as an orchestrator reads them from the twin's site files. */
  public Sites snapshot() {
    return current.get();
  }

  /** Points a simulated site at the twin's server (while the twin starts). */
  Site update(String id, UnaryOperator<Site> change) {
    return current.updateAndGet(s -> s.with(id, change)).require(id);
  }
}
