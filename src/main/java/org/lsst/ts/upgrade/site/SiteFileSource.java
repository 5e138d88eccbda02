package org.lsst.ts.upgrade.site;

import java.nio.file.Path;

/**
 * A directory of site files written at startup by something that serves those sites itself: the
 * in-JVM rehearsal twin, with its loopback endpoints and host addresses. When one is present,
 * {@link Sites} reads its files instead of the configured ones, exactly as an orchestrator reads the
 * standalone twin's files through {@code upgrade.sites-dir}.
 */
public interface SiteFileSource {
  /** The directory of {@code <id>.yaml} site files, complete when this is returned. */
  Path sitesDir();
}
