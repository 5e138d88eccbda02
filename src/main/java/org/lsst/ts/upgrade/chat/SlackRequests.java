package org.lsst.ts.upgrade.chat;

import com.slack.api.app_backend.SlackSignature;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;

/**
 * The one place where a request from Slack is authenticated and its user mapped, for every Slack
 * endpoint (the slash command, the interactivity endpoint). Slack cannot send HTTP Basic: a request
 * is Slack's when its signature (HMAC-SHA256 of the raw body with the app's signing secret, Slack's
 * own {@link SlackSignature.Verifier}) is valid, its timestamp at most 5 minutes old and at most
 * 30 s ahead, and its signature not seen before ({@link SlackReplayGuard}). A Slack user acts as
 * the orchestrator user {@code upgrade.slack.slash-command.users} maps it to, with that user's
 * authorizations, or not at all.
 */
@Component
public class SlackRequests {
  public static final Duration MAX_AGE = Duration.ofMinutes(5);
  /** How far a request's timestamp may be ahead of this node's clock. */
  public static final Duration MAX_SKEW = Duration.ofSeconds(30);

  /** Why a request is not accepted as Slack's, with the HTTP status to answer. */
  public static class Refused extends RuntimeException {
    private final HttpStatus status;

    Refused(HttpStatus status, String why) {
      super(why);
      this.status = status;
    }

    public HttpStatus status() {
      return status;
    }
  }

  private final SlashCommandProperties properties;
  private final SlackReplayGuard replays;
  private final Clock clock;

  @org.springframework.beans.factory.annotation.Autowired
  SlackRequests(SlashCommandProperties properties, SlackReplayGuard replays) {
    this(properties, replays, Clock.systemUTC());
  }

  SlackRequests(SlashCommandProperties properties, SlackReplayGuard replays, Clock clock) {
    this.properties = properties;
    this.replays = replays;
    this.clock = clock;
  }

  /**
   * The raw body of a request that Slack signed, read before anything parses the form (the
   * signature covers the bytes); {@link Refused} otherwise, having remembered nothing.
   */
  public String verifiedBody(HttpServletRequest request) throws IOException {
    String body = StreamUtils.copyToString(request.getInputStream(), StandardCharsets.UTF_8);
    String secret = properties.signingSecret();
    if (secret == null || secret.isBlank()) {
      throw new Refused(HttpStatus.SERVICE_UNAVAILABLE, "the Slack app is not configured (no signing secret)");
    }
    String timestamp = request.getHeader(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP);
    String signature = request.getHeader(SlackSignature.HeaderNames.X_SLACK_SIGNATURE);
    if (timestamp == null || signature == null) {
      throw new Refused(HttpStatus.UNAUTHORIZED, "missing Slack signature headers");
    }
    long now = clock.millis();
    try {
      long sent = Long.parseLong(timestamp) * 1000;
      if (now - sent > MAX_AGE.toMillis()) {
        throw new Refused(HttpStatus.UNAUTHORIZED, "request timestamp is more than 5 minutes old");
      }
      if (sent - now > MAX_SKEW.toMillis()) {
        throw new Refused(HttpStatus.UNAUTHORIZED, "request timestamp is in the future (more than "
            + MAX_SKEW.toSeconds() + " s ahead of this server's clock)");
      }
    } catch (NumberFormatException e) {
      throw new Refused(HttpStatus.UNAUTHORIZED, "request timestamp is not a number");
    }
    if (!new SlackSignature.Verifier(new SlackSignature.Generator(secret)).isValid(timestamp, body, signature, now)) {
      throw new Refused(HttpStatus.UNAUTHORIZED, "invalid Slack signature");
    }
    // checked last: only a valid signature is remembered, so a forged one cannot block the real request
    if (!replays.firstUse(signature)) {
      throw new Refused(HttpStatus.UNAUTHORIZED, "request already received (a signature is accepted once)");
    }
    return body;
  }

  /** The orchestrator user a Slack user acts as; empty for a Slack user not mapped. */
  public Optional<String> userOf(String slackUserId) {
    return Optional.ofNullable(slackUserId == null ? null : properties.users().get(slackUserId));
  }
}
