package org.lsst.ts.upgrade.chat;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code upgrade.slack.slash-command.*}: the Slack slash command that starts runs.
 *
 * @param signingSecret the Slack app's signing secret (from the environment, e.g.
 *     {@code SLACK_SIGNING_SECRET}); without it the endpoint refuses every request
 * @param users Slack user id → orchestrator user id; a Slack user not listed may not start runs,
 *     and a listed one acts with that user's authorizations (operators may start runs)
 */
@ConfigurationProperties("upgrade.slack.slash-command")
public record SlashCommandProperties(String signingSecret, Map<String, String> users) {
  public SlashCommandProperties {
    users = users == null ? Map.of() : Map.copyOf(users);
  }
}
