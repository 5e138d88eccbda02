package org.lsst.ts.upgrade.chat;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link Notifier} on the Slack Web API ({@code chat.postMessage}, slack-api-client). A notice
 * that cannot be posted is kept and retried in the background; until it is delivered it is listed
 * by {@link #undelivered}, so a run can report "notices not delivered". The record is in memory:
 * a restart forgets pending retries (the run's own variables keep what the delivery said).
 */
@Component
class SlackNotifier implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);
  /** {@code #name} or a channel id ({@code C0123ABC}). */
  private static final Pattern CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,20}");

  private final Sites sites;
  private final SlackAccess access;
  private final SlackProperties properties;
  private final Slack slack;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Notice> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "slack-retry");
    t.setDaemon(true);
    return t;
  });

  private static final class Notice {
    final String id;
    final String site;
    final String runId;
    final String channel;
    final String text;
    final Instant first;
    volatile int attempts;
    volatile String lastError;
    volatile boolean gaveUp;

    Notice(String id, String site, String runId, String channel, String text, Instant first) {
      this.id = id;
      this.site = site;
      this.runId = runId;
      this.channel = channel;
      this.text = text;
      this.first = first;
    }
  }

  SlackNotifier(Sites sites, SlackAccess access, SlackProperties properties) {
    this.sites = sites;
    this.access = access;
    this.properties = properties;
    SlackConfig config = new SlackConfig();
    int ms = (int) properties.timeout().toMillis();
    config.setHttpClientReadTimeoutMillis(ms);
    config.setHttpClientWriteTimeoutMillis(ms);
    config.setHttpClientCallTimeoutMillis(ms);
    config.setPrettyResponseLoggingEnabled(false);
    this.slack = Slack.getInstance(config);
  }

  @Override
  public Delivery post(String site, String channel, String text) {
    return post(site, channel, text, null);
  }

  @Override
  public Delivery post(String site, String channel, String text, String runId) {
    String id = UUID.randomUUID().toString();
    Site s = sites.find(site).orElse(null);
    if (s == null) {
      return new Delivery(id, channel, false, "unknown site '" + site + "': known " + sites.ids());
    }
    String target = channel != null ? channel : s.slack().channel();
    if (target == null || !CHANNEL.matcher(target).matches()) {
      return new Delivery(id, target, false, "'" + target + "' is not a Slack channel (#name or channel id)");
    }
    if (text == null || text.isBlank()) {
      return new Delivery(id, target, false, "the notice is empty");
    }
    Notice n = new Notice(id, site, runId, target, text, clock.instant());
    String error = attempt(n);
    if (error == null) {
      return new Delivery(id, target, true, null);
    }
    pending.put(id, n);
    schedule(n);
    return new Delivery(id, target, false, error + " (retrying in the background)");
  }

  @Override
  public List<Undelivered> undelivered(String site, String runId) {
    return pending.values().stream()
        .filter(n -> n.site.equals(site) && (runId == null || runId.equals(n.runId)))
        .sorted(Comparator.comparing((Notice n) -> n.first))
        .map(n -> new Undelivered(n.id, n.site, n.runId, n.channel, n.text, n.attempts, n.lastError, n.first, n.gaveUp))
        .toList();
  }

  /** Notices of the site still being retried (true) or given up (false), for the metrics. */
  long count(String site, boolean retrying) {
    return pending.values().stream().filter(n -> n.site.equals(site) && n.gaveUp != retrying).count();
  }

  private void schedule(Notice n) {
    retries.schedule(() -> retry(n), properties.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void retry(Notice n) {
    String error = attempt(n);
    if (error == null) {
      pending.remove(n.id);
      log.info("Slack notice {} to {} delivered after {} attempts", n.id, n.channel, n.attempts);
    } else if (n.attempts >= properties.maxAttempts()) {
      n.gaveUp = true;
      log.warn("Slack notice {} to {} given up after {} attempts: {}", n.id, n.channel, n.attempts, error);
    } else {
      schedule(n);
    }
  }

  @Override
  public java.util.Optional<String> accessProblem(String site) {
    Site s = sites.find(site).orElse(null);
    if (s == null) {
      return java.util.Optional.of("unknown site '" + site + "'");
    }
    String token = access.token(s).orElse(null);
    if (token == null) {
      return java.util.Optional.of("no Slack token at " + access.apiUrl() + ": set the environment variable "
          + (s.credentials() == null ? "(none named in the site file)" : s.credentials().slackTokenEnv()));
    }
    try {
      MethodsClient methods = slack.methods(token);
      methods.setEndpointUrlPrefix(access.apiUrl());
      var r = methods.authTest(req -> req);
      return r.isOk() ? java.util.Optional.empty() : java.util.Optional.of("Slack at " + access.apiUrl()
          + " refused the token (auth.test: " + r.getError() + "): renew the bot token in "
          + (s.credentials() == null ? "the environment" : s.credentials().slackTokenEnv()));
    } catch (SlackApiException e) {
      return java.util.Optional.of("Slack at " + access.apiUrl() + " answered HTTP " + e.getResponse().code()
          + " to auth.test: check Slack's status and try again");
    } catch (IOException e) {
      return java.util.Optional.of("Slack at " + access.apiUrl() + " cannot be reached: " + e.getMessage());
    }
  }

  @Override
  public java.util.Optional<Posted> postBlocks(String site, String channel, String text, String blocks) {
    Site s = sites.find(site).orElse(null);
    String target = channel != null ? channel : s == null || s.slack() == null ? null : s.slack().channel();
    if (s == null || target == null || !CHANNEL.matcher(target).matches()) {
      return java.util.Optional.empty();
    }
    try {
      String token = access.token(s).orElse(null);
      if (token == null) {
        return java.util.Optional.empty();
      }
      MethodsClient methods = slack.methods(token);
      methods.setEndpointUrlPrefix(access.apiUrl());
      ChatPostMessageResponse r = methods.chatPostMessage(req -> req.channel(target).text(text).blocksAsString(blocks));
      if (!r.isOk()) {
        log.warn("Slack message to {} not posted: ok=false {}", target, r.getError());
        return java.util.Optional.empty();
      }
      // Slack answers the channel's id: chat.update needs it, not the #name
      return java.util.Optional.of(new Posted(r.getChannel() == null ? target : r.getChannel(), r.getTs()));
    } catch (SlackApiException | IOException | RuntimeException e) {
      log.warn("Slack message to {} not posted: {}", target, e.toString());
      return java.util.Optional.empty();
    }
  }

  @Override
  public boolean update(String site, Posted message, String text, String blocks) {
    Site s = sites.find(site).orElse(null);
    String token = s == null ? null : access.token(s).orElse(null);
    if (token == null || message == null) {
      return false;
    }
    // an update lost to a short outage would leave buttons on a decided task: a few tries
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        MethodsClient methods = slack.methods(token);
        methods.setEndpointUrlPrefix(access.apiUrl());
        var r = methods.chatUpdate(req -> req.channel(message.channel()).ts(message.ts()).text(text).blocksAsString(blocks));
        if (r.isOk()) {
          return true;
        }
        log.warn("Slack message {} in {} not updated: ok=false {}", message.ts(), message.channel(), r.getError());
        return false;
      } catch (SlackApiException | IOException | RuntimeException e) {
        log.warn("Slack message {} in {} not updated (attempt {}): {}", message.ts(), message.channel(), attempt,
            e.toString());
        sleepQuietly(properties.retryInterval().toMillis());
      }
    }
    return false;
  }

  @Override
  public void respond(String responseUrl, String text) {
    if (responseUrl == null || !(responseUrl.startsWith("https://hooks.slack.com/") || sameOrigin(responseUrl,
        access.apiUrl()))) {
      log.warn("Not answering to response_url {}: not Slack's", responseUrl);
      return;
    }
    String payload;
    try {
      payload = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
          "response_type", "ephemeral", "replace_original", false, "text", text));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    retries.execute(() -> {
      try {
        slack.send(responseUrl, payload);
      } catch (IOException | RuntimeException e) {
        log.warn("Answer to {} not sent: {}", responseUrl, e.toString());
      }
    });
  }

  private static boolean sameOrigin(String url, String base) {
    try {
      var a = java.net.URI.create(url);
      var b = java.net.URI.create(base);
      return a.getScheme() != null && a.getScheme().equals(b.getScheme()) && a.getHost() != null
          && a.getHost().equals(b.getHost()) && a.getPort() == b.getPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(Math.min(millis, 5_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One try; null when delivered, else why not. */
  private String attempt(Notice n) {
    n.attempts++;
    String error;
    try {
      Site s = sites.require(n.site);
      String token = access.token(s).orElse(null);
      if (token == null) {
        error = "no Slack token: environment variable " + (s.credentials() == null ? "(none named)"
            : s.credentials().slackTokenEnv()) + " is not set";
      } else {
        MethodsClient methods = slack.methods(token);
        methods.setEndpointUrlPrefix(access.apiUrl());
        ChatPostMessageResponse r = methods.chatPostMessage(req -> req.channel(n.channel).text(n.text));
        error = r.isOk() ? null : "Slack answered ok=false: " + r.getError();
      }
    } catch (SlackApiException e) {
      error = "Slack answered HTTP " + e.getResponse().code();
    } catch (IOException e) {
      error = "Slack could not be reached: " + e.getMessage();
    } catch (RuntimeException e) {
      error = "posting to Slack failed: " + e;
    }
    n.lastError = error;
    if (error != null) {
      log.warn("Slack notice {} to {} not delivered (attempt {}): {}", n.id, n.channel, n.attempts, error);
    }
    return error;
  }

  @PreDestroy
  void stop() {
    retries.shutdownNow();
    try {
      slack.close();
    } catch (Exception e) {
      log.debug("closing the Slack client: {}", e.toString());
    }
    if (!pending.isEmpty()) {
      log.warn("{} Slack notice(s) not delivered at shutdown: {}", pending.size(), pending.keySet());
    }
  }
}
