package org.lsst.ts.upgrade.runbook.runs;

import org.lsst.ts.upgrade.chat.SlackReplayGuard;
import org.lsst.ts.upgrade.chat.SlashCommandProperties;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.app_backend.slash_commands.SlashCommandPayloadParser;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.lsst.ts.upgrade.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Slack slash command ({@code /upgrade ...}): starts runs and reports their state. Slack
 * cannot send HTTP Basic, so this endpoint authenticates the request by its Slack signature
 * (HMAC-SHA256 of the raw body with the app's signing secret, timestamp at most 5 minutes old and
 * at most 30 s ahead, each signature accepted once: {@link SlackReplayGuard}) and
 * acts as the orchestrator user the Slack user is mapped to. Answers at once (Slack waits 3 s).
 */
@RestController
class SlashCommandController {
  private static final Logger log = LoggerFactory.getLogger(SlashCommandController.class);
  static final Duration MAX_AGE = Duration.ofMinutes(5);
  /** How far a request's timestamp may be ahead of this node's clock. */
  static final Duration MAX_SKEW = Duration.ofSeconds(30);

  private static final String HELP = String.join("\n",
      "Usage:",
      "• `/upgrade full-upgrade <site> cycle=\"Cycle 40\" breaking=true|false phalanx=<branch or PR> [dco=<docker-compose-ops branch>] [lit=<LOVE-integration-tools branch>]`",
      "• `/upgrade incremental-upgrade <site> cycle=\"Cycle 40\" revision=\"Revision 2\" cscs=ATDome,ESS:201 breaking=false`",
      "• `/upgrade os-k8s-recovery <site>`",
      "• `/upgrade minimal-testing <site> telescopes=auxtel,maintel`",
      "• `/upgrade status <run id>`",
      "• `/upgrade plan <process> <site> ...`: the run's plan, without starting it (same keys as above)",
      "Sites: summit, tts, bts. Tasks are completed in Camunda Tasklist.");

  private final SlashCommandProperties properties;
  private final Runs runs;
  private final DryRuns dryRuns;
  private final SlackReplayGuard replays;
  private final Clock clock;
  private final SlashCommandPayloadParser parser = new SlashCommandPayloadParser();

  @org.springframework.beans.factory.annotation.Autowired
  SlashCommandController(SlashCommandProperties properties, Runs runs, DryRuns dryRuns, SlackReplayGuard replays) {
    this(properties, runs, dryRuns, replays, Clock.systemUTC());
  }

  SlashCommandController(SlashCommandProperties properties, Runs runs, DryRuns dryRuns, SlackReplayGuard replays,
      Clock clock) {
    this.properties = properties;
    this.runs = runs;
    this.dryRuns = dryRuns;
    this.replays = replays;
    this.clock = clock;
  }

  @PostMapping(path = "/slack/commands", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, String>> command(HttpServletRequest request) throws IOException {
    // the signature covers the raw bytes: read them before anything parses the form
    String body = StreamUtils.copyToString(request.getInputStream(), StandardCharsets.UTF_8);
    String secret = properties.signingSecret();
    if (secret == null || secret.isBlank()) {
      return reject(HttpStatus.SERVICE_UNAVAILABLE, "the slash command is not configured (no signing secret)");
    }
    String timestamp = request.getHeader(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP);
    String signature = request.getHeader(SlackSignature.HeaderNames.X_SLACK_SIGNATURE);
    if (timestamp == null || signature == null) {
      return reject(HttpStatus.UNAUTHORIZED, "missing Slack signature headers");
    }
    long now = clock.millis();
    try {
      long sent = Long.parseLong(timestamp) * 1000;
      if (now - sent > MAX_AGE.toMillis()) {
        return reject(HttpStatus.UNAUTHORIZED, "request timestamp is more than 5 minutes old");
      }
      if (sent - now > MAX_SKEW.toMillis()) {
        return reject(HttpStatus.UNAUTHORIZED, "request timestamp is in the future (more than "
            + MAX_SKEW.toSeconds() + " s ahead of this server's clock)");
      }
    } catch (NumberFormatException e) {
      return reject(HttpStatus.UNAUTHORIZED, "request timestamp is not a number");
    }
    if (!new SlackSignature.Verifier(new SlackSignature.Generator(secret)).isValid(timestamp, body, signature, now)) {
      return reject(HttpStatus.UNAUTHORIZED, "invalid Slack signature");
    }
    // checked last: only a valid signature is remembered, so a forged one cannot block the real request
    if (!replays.firstUse(signature)) {
      return reject(HttpStatus.UNAUTHORIZED, "request already received (a signature is accepted once)");
    }
    SlashCommandPayload payload = parser.parse(body);
    String user = properties.users().get(payload.getUserId());
    if (user == null) {
      log.warn("Slash command from unmapped Slack user {} ({})", payload.getUserId(), payload.getUserName());
      return reply("ephemeral", "You (" + payload.getUserName() + ", " + payload.getUserId() + ") are not mapped to an "
          + "orchestrator user. Ask an admin to add you under upgrade.slack.slash-command.users.");
    }
    return reply(payload, user);
  }

  private ResponseEntity<Map<String, String>> reply(SlashCommandPayload payload, String user) {
    List<String> tokens;
    try {
      tokens = SlashCommandText.tokens(payload.getText());
    } catch (IllegalArgumentException e) {
      return reply("ephemeral", "Could not read the command: " + e.getMessage() + "\n" + HELP);
    }
    if (tokens.isEmpty() || tokens.get(0).equals("help")) {
      return reply("ephemeral", HELP);
    }
    try {
      if (tokens.get(0).equals("status")) {
        if (tokens.size() != 2) {
          return reply("ephemeral", "Say which run: `/upgrade status <run id>`");
        }
        RunStatus s = runs.status(tokens.get(1));
        return reply("ephemeral", "Run " + tokens.get(1) + ": " + s.state()
            + (s.incidents().isEmpty() ? "" : ", " + s.incidents().size() + " incident(s) to resolve in Cockpit")
            + (s.tasks().isEmpty() ? "" : ", " + s.tasks().size() + " task(s) waiting in Tasklist"));
      }
      if (tokens.get(0).equals("plan")) {
        return plan(tokens.subList(1, tokens.size()), user);
      }
      Runs.Started started = runs.start(SlashCommandText.runRequest(tokens), user);
      log.info("Run {} started from Slack by {} (Slack {})", started.runId(), user, payload.getUserId());
      return reply("in_channel", "Run *" + started.runId() + "* started by " + user
          + ". Follow it with `/upgrade status " + started.runId() + "`; tasks appear in Tasklist.");
    } catch (IllegalArgumentException e) {
      return reply("ephemeral", "Not started: " + e.getMessage() + "\n" + HELP);
    } catch (ApiException e) {
      return reply("ephemeral", "Not started: " + e.getMessage());
    } catch (AuthorizationException e) {
      return reply("ephemeral", "Not started: user " + user + " is not allowed to start this run (operators may).");
    }
  }

  /** {@code /upgrade plan <process> <site> ...}: the plan as text, to the person only; nothing is started. */
  private ResponseEntity<Map<String, String>> plan(List<String> tokens, String user) {
    try {
      RunPlanner.Plan p = dryRuns.plan(SlashCommandText.runRequest(tokens), user);
      return reply("ephemeral", "```\n" + p.text() + "```\nNothing was started. Start it with `/upgrade "
          + String.join(" ", tokens.stream().map(t -> t.contains(" ") ? t.replaceFirst("=", "=\"") + "\"" : t).toList())
          + "`.");
    } catch (IllegalArgumentException e) {
      return reply("ephemeral", "No plan: " + e.getMessage() + "\n" + HELP);
    } catch (ApiException e) {
      return reply("ephemeral", "No plan: " + e.getMessage());
    }
  }

  private static ResponseEntity<Map<String, String>> reply(String type, String text) {
    return ResponseEntity.ok(Map.of("response_type", type, "text", text));
  }

  private static ResponseEntity<Map<String, String>> reject(HttpStatus status, String why) {
    log.warn("Slash command refused: {}", why);
    return ResponseEntity.status(status).body(Map.of("error", why));
  }
}
