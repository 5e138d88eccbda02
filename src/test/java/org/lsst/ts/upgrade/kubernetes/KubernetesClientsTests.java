package org.lsst.ts.upgrade.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/** Which cluster a site's client talks to. */
class KubernetesClientsTests {

  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      current-context: pillan
      clusters:
      - name: pillan
        cluster: {server: "https://pillan.example:6443"}
      - name: manke
        cluster: {server: "https://manke.example:6443"}
      users:
      - name: operator
        user: {token: not-a-real-token}
      contexts:
      - name: pillan
        context: {cluster: pillan, user: operator}
      - name: manke
        context: {cluster: manke, user: operator}
      """;

  @Test
  void theSiteContextOfTheKubeconfigIsUsed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("config"), KUBECONFIG);
    Sites sites = new Sites(new SiteProperties(null));
    var clients = new KubernetesClients(sites, new KubernetesProperties(file, false, Duration.ofMinutes(1), Duration.ofSeconds(5)));
    try {
      // BTS is context manke although pillan is the current context
      assertThat(clients.forSite("bts").getMasterUrl().toString()).startsWith("https://manke.example:6443");
      assertThat(clients.forSite("tts").getMasterUrl().toString()).startsWith("https://pillan.example:6443");
      assertThatThrownBy(() -> clients.forSite("summit")).hasMessageContaining("no context 'yagan'")
          .hasMessageContaining(file.toString());
    } finally {
      clients.close();
    }
  }

  @Test
  void anApiUrlInTheSiteWins(@TempDir Path dir) throws Exception {
    Sites sites = new Sites(new SiteProperties(null));
    sites = sites.with("tts", s -> s.withEndpoints(new Site.Endpoints(null, null, null, null, null, null, "sal",
        "http://127.0.0.1:1")));
    var clients = new KubernetesClients(sites, new KubernetesProperties(dir.resolve("absent"), false,
        Duration.ofMinutes(1), Duration.ofSeconds(5)));
    try {
      assertThat(clients.forSite("tts").getMasterUrl().toString()).startsWith("http://127.0.0.1:1");
      assertThatThrownBy(() -> clients.forSite("bts")).hasMessageContaining("cannot be read");
    } finally {
      clients.close();
    }
  }
}
