package org.lsst.ts.upgrade.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The orchestrator's sites never change once loaded; a site file source replaces the configured files. */
class SitesTests {

  @Test
  void aChangedCopyLeavesTheLoadedSitesAsTheyWere() {
    Sites loaded = new Sites(new SiteProperties(null));
    Site before = loaded.require("tts");
    Sites changed = loaded.with("tts", s -> s.withHosts(java.util.List.of()));
    assertThat(changed.require("tts").hosts()).isEmpty();
    assertThat(loaded.require("tts")).isSameAs(before);
    assertThatThrownBy(() -> loaded.all().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aSiteFileSourceIsReadInsteadOfTheConfiguredFiles(@TempDir Path dir) {
    Sites packaged = new Sites(new SiteProperties(null));
    Site tts = packaged.require("tts");
    SiteFileWriter.write(tts.withHosts(tts.hosts().stream().map(h -> h.withAddress("127.0.0.1", 2022)).toList()), dir,
        "written by a test");
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("source", (SiteFileSource) () -> dir);

    Sites sites = new Sites(new SiteProperties(null), beans.getBeanProvider(SiteFileSource.class));

    assertThat(sites.ids()).containsExactly("tts");
    assertThat(sites.require("tts").hosts()).isNotEmpty().allSatisfy(h -> assertThat(h.port()).isEqualTo(2022));
  }

  @Test
  void withoutASourceTheConfiguredFilesAreRead() {
    Sites sites = new Sites(new SiteProperties(null), new StaticListableBeanFactory().getBeanProvider(SiteFileSource.class));
    assertThat(sites.ids()).containsExactlyElementsOf(new Sites(new SiteProperties(null)).ids());
  }
}
