package org.lsst.ts.upgrade.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * One fabric8 client per cluster, built on first use from the site as it is at call time (the
 * rehearsal twin repoints sites after startup).
 */
@Component
class KubernetesClients {
  private final Sites sites;
  private final KubernetesProperties properties;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  KubernetesClients(Sites sites, KubernetesProperties properties) {
    this.sites = sites;
    this.properties = properties;
  }

  KubernetesClient forSite(String siteId) {
    Site site = sites.require(siteId);
    if (site.kubernetes() == null) {
      throw new IllegalStateException("site '" + siteId + "' has no kubernetes section in its site file");
    }
    String url = site.endpoints() == null ? null : site.endpoints().kubernetesApiUrl();
    String key = url != null ? "url:" + url : properties.inCluster() ? "in-cluster" : "context:" + site.kubernetes().context();
    return clients.computeIfAbsent(key, k -> new KubernetesClientBuilder().withConfig(config(site, url)).build());
  }

  private Config config(Site site, String url) {
    if (url != null) {
      // an explicit API URL is the twin's mock server: no credentials, nothing from a kubeconfig
      Config c = new ConfigBuilder(Config.empty()).withMasterUrl(url).build();
      c.setNamespace(null);
      return bounded(c);
    }
    Config c;
    String context = site.kubernetes().context();
    if (properties.inCluster()) {
      c = Config.autoConfigure(null);
    } else if (properties.kubeconfig() != null) {
      try {
        c = Config.fromKubeconfig(context, Files.readString(properties.kubeconfig()), properties.kubeconfig().toString());
      } catch (IOException e) {
        throw new IllegalStateException("upgrade.kubernetes.kubeconfig " + properties.kubeconfig() + " cannot be read: " + e, e);
      }
    } else {
      c = Config.autoConfigure(context);
    }
    if (!properties.inCluster() && (c.getCurrentContext() == null || !context.equals(c.getCurrentContext().getName()))) {
      throw new IllegalStateException("the kubeconfig (" + (properties.kubeconfig() != null ? properties.kubeconfig()
          : "standard locations: $KUBECONFIG or ~/.kube/config") + ") has no context '" + context + "' for site '"
          + site.id() + "'");
    }
    return bounded(c);
  }

  /**
   * Bounds every call (see {@link KubernetesProperties#callBound()}): fabric8's defaults retry a 5xx
   * ten times with exponential back-off, which holds a job thread for minutes on a lasting 503.
   */
  private Config bounded(Config c) {
    c.setRequestTimeout((int) properties.requestTimeout().toMillis());
    c.setConnectionTimeout((int) properties.connectTimeout().toMillis());
    c.setRequestRetryBackoffLimit(properties.requestRetries());
    c.setRequestRetryBackoffInterval((int) properties.retryBackoff().toMillis());
    return c;
  }

  @PreDestroy
  void close() {
    clients.values().forEach(KubernetesClient::close);
  }
}
