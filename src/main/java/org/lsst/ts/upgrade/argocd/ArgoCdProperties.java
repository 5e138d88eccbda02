package org.lsst.ts.upgrade.argocd;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.argocd.*}: the Argo CD REST client. The URL and the names of the environment
 * variables holding the credentials come from the site file ({@code endpoints.argocd},
 * {@code credentials.argocd-token-env} or {@code argocd-username-env}/{@code argocd-password-env}).
 *
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout timeout of one request (a sync request returns at once; it does not wait)
 * @param prune whether a sync prunes resources no longer in Git (the UI's default is off)
 * @param syncTimeout how long the runbook waits for one app's sync (including an operation already in
 *     progress that it waits for first) before a person is asked
 */
@ConfigurationProperties("upgrade.argocd")
public record ArgoCdProperties(
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("30s") Duration requestTimeout,
    @DefaultValue("false") boolean prune,
    @DefaultValue("20m") Duration syncTimeout) {

  /** The default sync timeout, for code that runs without Spring binding. */
  public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofMinutes(20);
}
