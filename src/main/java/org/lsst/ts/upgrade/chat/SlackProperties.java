package org.lsst.ts.upgrade.chat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.slack.*}: the Slack Web API. The bot token is read from the environment variable
 * the site file names ({@code credentials.slack-token-env}), never from here.
 *
 * @param apiUrl base URL of the Web API methods ({@code chat.postMessage} is appended)
 * @param timeout per request
 * @param retryInterval between background attempts to deliver a notice that failed
 * @param maxAttempts after which a notice is given up (it stays listed as undelivered)
 */
@ConfigurationProperties("upgrade.slack")
public record SlackProperties(
    @DefaultValue("https://slack.com/api/") String apiUrl,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("30s") Duration retryInterval,
    @DefaultValue("240") int maxAttempts) {

  public SlackProperties {
    if (apiUrl == null || !(apiUrl.startsWith("https://") || apiUrl.startsWith("http://"))) {
      throw new IllegalArgumentException("upgrade.slack.api-url '" + apiUrl + "' is not an http(s) URL");
    }
    apiUrl = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("upgrade.slack.max-attempts must be at least 1: " + maxAttempts);
    }
  }
}
