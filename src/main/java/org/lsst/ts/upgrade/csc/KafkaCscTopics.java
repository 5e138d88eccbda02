package org.lsst.ts.upgrade.csc;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Lists topics with a short-lived Kafka {@link Admin} client (same security settings as the CSC
 * monitor; the site's endpoints are read at call time).
 */
@Component
class KafkaCscTopics implements CscTopics {
  private final Sites sites;
  private final KafkaProperties kafka;
  private final Function<String, String> env;

  KafkaCscTopics(Sites sites, KafkaProperties kafka) {
    this.sites = sites;
    this.kafka = kafka;
    this.env = System::getenv;
  }

  @Override
  public Set<String> topicsOf(String siteId, String component) {
    Site s = sites.require(siteId);
    String bootstrap = s.endpoints() == null ? null : s.endpoints().kafkaBootstrap();
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalStateException("site '" + siteId + "' has no endpoints.kafka-bootstrap");
    }
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("client.id", "upgrade-topics-" + siteId);
    p.put("default.api.timeout.ms", 10000);
    p.put("request.timeout.ms", 10000);
    p.putAll(KafkaCscMonitor.security(kafka, s, env));
    p.putAll(kafka.properties());
    String prefix = "lsst." + s.endpoints().kafkaTopicSubname() + "." + component + ".";
    try (Admin admin = Admin.create(p)) {
      Set<String> out = new TreeSet<>();
      for (String t : admin.listTopics().names().get(15, TimeUnit.SECONDS)) {
        if (t.startsWith(prefix)) {
          out.add(t);
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the topics of " + siteId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not list the topics on " + siteId + "'s broker " + bootstrap + ": " + e, e);
    }
  }
}
