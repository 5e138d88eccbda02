package org.lsst.ts.upgrade.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteFileSource;
import org.lsst.ts.upgrade.site.SiteFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The in-JVM twin's site files: once every twin server listens (hence the constructor's
 * parameters), each simulated site is written with the twin's endpoints into a temporary
 * directory, which the orchestrator's {@code Sites} then reads as it would read a real site's
 * (the standalone twin hands the same files to an orchestrator of its own: {@link TwinSiteFiles}).
 */
@Component
@Profile("rehearsal & !" + TwinApplication.PROFILE)
class TwinSiteDirectory implements SiteFileSource {
  private static final Logger log = LoggerFactory.getLogger(TwinSiteDirectory.class);

  private final Path dir;

  TwinSiteDirectory(SimulatedSites sites, TwinSshHosts ssh, TwinKubernetes kubernetes, TwinLoveManager love,
      TwinKafka kafka, TwinArgoCd argocd) {
    try {
      dir = Files.createTempDirectory("upgrade-rehearsal-sites-");
      for (Site site : sites.all()) {
        SiteFileWriter.write(site, dir, "written by the in-JVM rehearsal twin: its endpoints on this machine");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the twin cannot write its site files into a temporary directory", e);
    }
    log.info("Twin: site files of {} written to {}", sites.ids(), dir);
  }

  @Override
  public Path sitesDir() {
    return dir;
  }

  @jakarta.annotation.PreDestroy
  void delete() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
