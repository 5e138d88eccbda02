package org.lsst.ts.upgrade.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written site file reads back to the same site (what the standalone twin relies on). */
class SiteFileWriterTests {

  @Test
  void everyPackagedSiteRoundTrips(@TempDir Path dir) {
    Sites packaged = new Sites(new SiteProperties(null));
    for (Site site : packaged.all()) {
      SiteFileWriter.write(site, dir, "written by a test");
    }
    Sites read = new Sites(new SiteProperties(dir, false));
    assertThat(read.ids()).containsExactlyElementsOf(packaged.ids());
    for (Site site : packaged.all()) {
      assertThat(read.require(site.id())).as(site.id()).isEqualTo(site);
    }
  }
}
