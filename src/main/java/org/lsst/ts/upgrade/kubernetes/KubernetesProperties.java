package org.lsst.ts.upgrade.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.kubernetes.*}: how the clusters are reached. A site's cluster is its
 * {@code kubernetes.context} in the kubeconfig, unless the site's {@code endpoints.kubernetes-api-url}
 * is set (the rehearsal twin's mock API server, reached without credentials).
 *
 * <p>Every call runs on a job-executor thread, whose lock lasts 2 minutes: one API call is bounded by
 * {@link #callBound()} (connect and request timeouts, times the tries, plus the back-off), and a
 * clean-up step stops making calls after {@code step-budget} (it is retried, idempotent).
 *
 * @param kubeconfig a kubeconfig file; default: the standard locations ({@code $KUBECONFIG}, then
 *     {@code ~/.kube/config})
 * @param inCluster use the pod's service account instead of a kubeconfig (the orchestrator runs in
 *     the site's own cluster); the site's context is then not used
 * @param verificationDeadline how long a clean-up's timer loop keeps looking for what it deleted (and
 *     the deleted Jobs' pods) before a person is asked; no thread waits for it
 * @param requestTimeout timeout of one API request (one try)
 * @param connectTimeout timeout of establishing the connection to the API server
 * @param requestRetries how often fabric8 tries a request again after a 5xx or an I/O error (its own
 *     default, 10 with exponential back-off, can hold a thread for minutes on a lasting 503)
 * @param retryBackoff the first back-off before such a retry (doubled for each further one)
 * @param stepBudget after this long a clean-up step starts no further call: it fails with what it did
 *     (a retry continues where it stopped), so a slow cluster never holds a job thread past its lock
 */
@ConfigurationProperties("upgrade.kubernetes")
public record KubernetesProperties(
    Path kubeconfig,
    @DefaultValue("false") boolean inCluster,
    @DefaultValue("2m") Duration verificationDeadline,
    @DefaultValue("15s") Duration requestTimeout,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("1") int requestRetries,
    @DefaultValue("1s") Duration retryBackoff,
    @DefaultValue("45s") Duration stepBudget) {

  @ConstructorBinding
  public KubernetesProperties {
    if (verificationDeadline == null || verificationDeadline.isNegative() || verificationDeadline.isZero()) {
      throw new IllegalArgumentException("upgrade.kubernetes.verification-deadline must be positive: " + verificationDeadline);
    }
    requirePositive("request-timeout", requestTimeout);
    requirePositive("connect-timeout", connectTimeout);
    requirePositive("retry-backoff", retryBackoff);
    requirePositive("step-budget", stepBudget);
    if (requestRetries < 0 || requestRetries > 5) {
      throw new IllegalArgumentException("upgrade.kubernetes.request-retries must be between 0 and 5: " + requestRetries);
    }
  }

  /** The defaults for the bounds (tests). */
  public KubernetesProperties(Path kubeconfig, boolean inCluster, Duration verificationDeadline, Duration requestTimeout) {
    this(kubeconfig, inCluster, verificationDeadline, requestTimeout, Duration.ofSeconds(5), 1, Duration.ofSeconds(1),
        Duration.ofSeconds(45));
  }

  public KubernetesProperties withRetries(int retries, Duration backoff) {
    return new KubernetesProperties(kubeconfig, inCluster, verificationDeadline, requestTimeout, connectTimeout, retries,
        backoff, stepBudget);
  }

  /** The longest one API call can take: every try times out, with the back-off between the tries. */
  public Duration callBound() {
    Duration bound = connectTimeout.plus(requestTimeout).multipliedBy(requestRetries + 1L);
    for (int i = 0; i < requestRetries; i++) {
      bound = bound.plus(retryBackoff.multipliedBy(1L << i));
    }
    return bound;
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("upgrade.kubernetes." + name + " must be positive: " + d);
    }
  }
}
