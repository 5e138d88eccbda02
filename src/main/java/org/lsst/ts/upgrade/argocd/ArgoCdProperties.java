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
 */
@ConfigurationProperties("upgrade.argocd")
public record ArgoCdProperties(
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("30s") Duration requestTimeout,
    @DefaultValue("false") boolean prune) {}
