package org.lsst.ts.upgrade.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.kubernetes.*}: how the clusters are reached. A site's cluster is its
 * {@code kubernetes.context} in the kubeconfig, unless the site's {@code endpoints.kubernetes-api-url}
 * is set (the rehearsal twin's mock API server, reached without credentials).
 *
 * @param kubeconfig a kubeconfig file; default: the standard locations ({@code $KUBECONFIG}, then
 *     {@code ~/.kube/config})
 * @param inCluster use the pod's service account instead of a kubeconfig (the orchestrator runs in
 *     the site's own cluster); the site's context is then not used
 * @param verificationDeadline how long a clean-up waits for everything it deleted (and the deleted
 *     Jobs' pods) to be gone before reporting what remains
 * @param requestTimeout timeout of one API request
 */
@ConfigurationProperties("upgrade.kubernetes")
public record KubernetesProperties(
    Path kubeconfig,
    @DefaultValue("false") boolean inCluster,
    @DefaultValue("2m") Duration verificationDeadline,
    @DefaultValue("30s") Duration requestTimeout) {

  public KubernetesProperties {
    if (verificationDeadline == null || verificationDeadline.isNegative() || verificationDeadline.isZero()) {
      throw new IllegalArgumentException("upgrade.kubernetes.verification-deadline must be positive: " + verificationDeadline);
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("upgrade.kubernetes.request-timeout must be positive: " + requestTimeout);
    }
  }
}
