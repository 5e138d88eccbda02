package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lsst.ts.upgrade.ApiException;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A person clicking a button of a message in the twin's Slack: sends the orchestrator's
 * interactivity endpoint ({@code POST /slack/interactions}) the {@code block_actions} payload Slack
 * would send, form-encoded and signed with the configured signing secret
 * ({@code upgrade.slack.slash-command.signing-secret}), with a {@code response_url} on the twin's
 * Slack. The orchestrator is at {@code upgrade.rehearsal.orchestrator-url}, by default this
 * application's own port.
 */
@Component
@Profile("rehearsal")
class TwinSlackClicks {
  /**
   * What the click sent and what the orchestrator answered.
   *
   * @param request the signed request as sent (timestamp, signature, body): a test can replay it
   */
  record Click(int status, JsonNode answer, Map<String, String> request) {}

  private final TwinSlack slack;
  private final Environment environment;
  private final ActionLog actions;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TwinSlackClicks(TwinSlack slack, Environment environment, ActionLog actions) {
    this.slack = slack;
    this.environment = environment;
    this.actions = actions;
  }

  Click click(String site, String messageTs, String actionId, String slackUser) {
    if (site == null || messageTs == null || actionId == null || slackUser == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "say site, messageTs, actionId and slackUser");
    }
    TwinSlack.Message m = slack.message(site, messageTs).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
        "no message " + messageTs + " at " + site + " in the twin's Slack"));
    JsonNode button = null;
    String blockId = null;
    try {
      for (JsonNode block : json.readTree(m.blocks() == null ? "[]" : m.blocks())) {
        for (JsonNode e : block.path("elements")) {
          if (actionId.equals(e.path("action_id").asText())) {
            button = e;
            blockId = block.path("block_id").asText(null);
          }
        }
      }
    } catch (IOException e) {
      throw new ApiException(HttpStatus.CONFLICT, "message " + messageTs + " has no readable blocks: " + e.getMessage());
    }
    if (button == null) {
      throw new ApiException(HttpStatus.NOT_FOUND, "message " + messageTs + " at " + site + " has no button '" + actionId
          + "' (now)");
    }
    String secret = environment.getProperty("upgrade.slack.slash-command.signing-secret");
    if (secret == null || secret.isBlank()) {
      throw new ApiException(HttpStatus.CONFLICT, "no signing secret configured (upgrade.slack.slash-command.signing-secret)");
    }
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> action = new LinkedHashMap<>();
    action.put("type", "button");
    action.put("action_id", actionId);
    action.put("block_id", blockId);
    action.put("text", button.path("text"));
    if (button.hasNonNull("value")) {
      action.put("value", button.get("value").asText());
    }
    action.put("action_ts", now + ".000100");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", "block_actions");
    payload.put("user", Map.of("id", slackUser, "username", slackUser.toLowerCase(), "name", slackUser.toLowerCase(),
        "team_id", "T0REHEARSAL"));
    payload.put("api_app_id", "A0ORCHESTRATOR");
    payload.put("token", "deprecated-verification-token");
    payload.put("container", Map.of("type", "message", "message_ts", m.ts(), "channel_id", m.channel(),
        "is_ephemeral", false));
    payload.put("trigger_id", UUID.randomUUID().toString());
    payload.put("team", Map.of("id", "T0REHEARSAL", "domain", "rehearsal"));
    payload.put("channel", Map.of("id", m.channel(), "name", m.channel().replaceFirst("^#", "")));
    payload.put("message", Map.of("type", "message", "ts", m.ts(), "text", String.valueOf(m.text())));
    payload.put("response_url", slack.newResponseUrl());
    payload.put("actions", List.of(action));
    String body;
    try {
      body = "payload=" + URLEncoder.encode(json.writeValueAsString(payload), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String timestamp = String.valueOf(now);
    String signature = new SlackSignature.Generator(secret).generate(timestamp, body);
    Map<String, String> request = Map.of("timestamp", timestamp, "signature", signature, "body", body);
    actions.record(site, "slack", m.channel(), "click", Map.of("ts", messageTs, "actionId", actionId,
        "slackUser", slackUser));
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(orchestratorUrl() + "/slack/interactions"))
          .timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, timestamp)
          .header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE, signature)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode answer = r.body() == null || r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
      return new Click(r.statusCode(), answer, request);
    } catch (IOException e) {
      throw new ApiException(HttpStatus.BAD_GATEWAY, "the orchestrator's /slack/interactions did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
    }
  }

  private String orchestratorUrl() {
    String configured = environment.getProperty("upgrade.rehearsal.orchestrator-url");
    if (configured != null && !configured.isBlank()) {
      return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }
    return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
  }
}
