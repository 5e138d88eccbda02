package org.lsst.ts.upgrade.chat;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * {@link Notifier} on the Slack Web API ({@code chat.postMessage}, slack-api-client). A notice
 * that cannot be posted is kept in the database ({@link NoticeStore}) and a {@link NoticePending}
 * event asks for a retry, which the engine runs as a job ({@link #retryPending}); until it is
 * delivered it is listed by {@link #undelivered}, so a run can report "notices not delivered".
 * A run's notices go to its thread of the channel ({@link RunThreadStore}): the first one Slack
 * takes is the parent, the later ones replies ({@code thread_ts}, {@code reply_broadcast}).
 */
@Component
class SlackNotifier implements Notifier {
  private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);
  /** {@code #name} or a channel id ({@code C0123ABC}). */
  private static final Pattern CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,20}");
  private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);
  /** Slack's limit for a message's text is 40,000 characters; each folded notice is kept short. */
  private static final int MAX_FOLDED = 38_000;
  private static final int MAX_FOLDED_ONE = 3_000;

  private final Sites sites;
  private final SlackAccess access;
  private final SlackProperties properties;
  private final NoticeStore store;
  private final RunThreadStore threads;
  /**
   * One parent per run and channel on this node: two notices of a run without a thread (a task
   * and a notice at once) must not both become parents. One small object per run and channel.
   */
  private final Map<String, Object> parentLocks = new java.util.concurrent.ConcurrentHashMap<>();
  private final ApplicationEventPublisher events;
  private final Slack slack;
  private final Clock clock = Clock.systemUTC();
  /** The claims of retries running on this node: given back when it stops (see {@link #stop}). */
  private final java.util.Set<String> claims = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closing;
  /**
   * A run's notices this node delivered lately (key: site, channel, run, label, text), for
   * {@link #AGAIN_WINDOW}: a step that posted and then lost an optimistic-locking race with a
   * parallel branch runs again, and must not tell the channel twice.
   */
  private final Map<String, Instant> deliveredLately = new java.util.concurrent.ConcurrentHashMap<>();
  static final java.time.Duration AGAIN_WINDOW = java.time.Duration.ofMinutes(10);
  /** Answers to interactions ({@link #respond}), off the caller's thread. */
  private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "slack-respond");
    t.setDaemon(true);
    return t;
  });

  SlackNotifier(Sites sites, SlackAccess access, SlackProperties properties, NoticeStore store,
      RunThreadStore threads, ApplicationEventPublisher events) {
    this.sites = sites;
    this.access = access;
    this.properties = properties;
    this.store = store;
    this.threads = threads;
    this.events = events;
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
    return post(site, channel, text, null, null, false);
  }

  @Override
  public Delivery post(String site, String channel, String text, String runId) {
    return post(site, channel, text, runId, null, false);
  }

  @Override
  public Delivery post(String site, String channel, String text, String runId, String label, boolean last) {
    return post(site, channel, text, runId, label, last, false);
  }

  @Override
  public Delivery post(String site, String channel, String text, String runId, String label, boolean last,
      boolean broadcast) {
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
    Instant now = clock.instant();
    String again = runId == null || label == null ? null : String.join("\n", site, target, runId, label, text);
    if (again != null) {
      deliveredLately.values().removeIf(at -> at.isBefore(now.minus(AGAIN_WINDOW)));
      Instant at = deliveredLately.get(again);
      if (at != null) {
        log.info("Slack notice {} of run {} to {} was delivered at {}: not posted again (its step ran again)", label,
            runId, target, at);
        return new Delivery(id, target, true, null, now);
      }
    }
    String error = attempt(site, target, text, id, 1, runId, broadcast);
    if (error == null) {
      if (again != null) {
        deliveredLately.put(again, now);
      }
      return new Delivery(id, target, true, null, now);
    }
    try {
      store.insert(new NoticeStore.Row(id, site, runId, target, label, last, text, now, 1, error, NoticeStore.PENDING,
          null));
    } catch (RuntimeException e) {
      log.error("Slack notice {} to {} not delivered and not kept (database: {}): {}", id, target, e.toString(), text);
      return new Delivery(id, target, false, error + " (not kept for a retry: " + e.getMessage() + ")", now);
    }
    events.publishEvent(new NoticePending(site));
    return new Delivery(id, target, false, error + " (kept and retried)", now);
  }

  @Override
  public List<Undelivered> undelivered(String site, String runId) {
    return store.notDelivered(site, runId).stream().map(this::undelivered).toList();
  }

  @Override
  public List<Undelivered> keptNotices(String runId) {
    return runId == null ? List.of() : store.ofRun(runId).stream().map(this::undelivered).toList();
  }

  @Override
  public List<String> sitesWithPendingNotices() {
    return store.sitesWithPending();
  }

  private Undelivered undelivered(NoticeStore.Row r) {
    return new Undelivered(r.id(), r.site(), r.runId(), r.channel(), r.text(), r.attempts(), r.lastError(), r.created(),
        NoticeStore.GAVE_UP.equals(r.state()), r.label(), r.state(), r.doneAt());
  }

  /** Notices of the site still being retried (true) or given up (false), for the metrics. */
  long count(String site, boolean retrying) {
    return store.count(site, retrying ? NoticeStore.PENDING : NoticeStore.GAVE_UP);
  }

  @Override
  public Retry retryPending(String site, Predicate<String> runEnded) {
    if (closing) {
      return new Retry(List.of(), List.of(), 1);
    }
    String claimer = UUID.randomUUID().toString();
    claims.add(claimer);
    try {
      return retryPending(site, runEnded, claimer);
    } finally {
      claims.remove(claimer);
    }
  }

  private Retry retryPending(String site, Predicate<String> runEnded, String claimer) {
    Instant now = clock.instant();
    List<NoticeStore.Row> claimed = store.claimPending(site, claimer, now);
    List<Undelivered> delivered = new ArrayList<>();
    List<Undelivered> dropped = new ArrayList<>();
    // one folded message per channel and run: a run's late notices go to its thread (see folded)
    Map<List<String>, List<NoticeStore.Row>> byThread = new LinkedHashMap<>();
    for (NoticeStore.Row r : claimed) {
      // a notice of a run that has ended is no news any more: its summary lists it (the last word is still told)
      if (r.runId() != null && !r.last() && runEnded.test(r.runId())) {
        store.finish(r.id(), NoticeStore.DROPPED, now, null);
        dropped.add(undelivered(withState(r, NoticeStore.DROPPED, now)));
        log.info("Slack notice {} ({}) of run {} dropped: the run has ended", r.id(), r.label(), r.runId());
      } else {
        byThread.computeIfAbsent(java.util.Arrays.asList(r.channel(), r.runId()), c -> new ArrayList<>()).add(r);
      }
    }
    byThread.forEach((key, rows) -> {
      String channel = key.get(0);
      String runId = key.get(1);
      int attempt = rows.stream().mapToInt(NoticeStore.Row::attempts).max().orElse(0) + 1;
      // in the run's thread, and shown in the channel too: the people missed these when they happened
      String error = attempt(site, channel, folded(rows), rows.get(0).id() + (rows.size() > 1 ? " and " + (rows.size() - 1)
          + " more" : ""), attempt, runId, true);
      for (NoticeStore.Row r : rows) {
        if (error == null) {
          store.finish(r.id(), NoticeStore.DELIVERED, clock.instant(), null);
          delivered.add(undelivered(withState(r, NoticeStore.DELIVERED, clock.instant())));
        } else if (r.attempts() + 1 >= properties.maxAttempts()) {
          store.finish(r.id(), NoticeStore.GAVE_UP, clock.instant(), error);
          log.warn("Slack notice {} to {} given up after {} attempts: {}", r.id(), channel, r.attempts() + 1, error);
        } else {
          store.failed(r.id(), error);
        }
      }
      if (error == null) {
        log.info("{} late Slack notice(s) delivered to {}", rows.size(), channel);
      }
    });
    return new Retry(delivered, dropped, (int) store.count(site, NoticeStore.PENDING));
  }

  private static NoticeStore.Row withState(NoticeStore.Row r, String state, Instant at) {
    return new NoticeStore.Row(r.id(), r.site(), r.runId(), r.channel(), r.label(), r.last(), r.text(), r.created(),
        r.attempts(), r.lastError(), state, at);
  }

  /**
   * Late notices are not posted as if current: one message per channel, "while Slack was
   * unreachable", each notice under the time it was meant for.
   */
  static String folded(List<NoticeStore.Row> rows) {
    StringBuilder s = new StringBuilder(":hourglass: *While Slack was unreachable* (" + rows.size()
        + (rows.size() == 1 ? " notice" : " notices") + " not posted at the time; times in UTC):");
    for (NoticeStore.Row r : rows) {
      String text = r.text().length() <= MAX_FOLDED_ONE ? r.text() : r.text().substring(0, MAX_FOLDED_ONE - 1) + "…";
      String line = "\n• *" + WHEN.format(r.created()) + "*: " + text.replace("\n", "\n    ");
      if (s.length() + line.length() > MAX_FOLDED) {
        s.append("\n• … and more: see the runs' reports");
        break;
      }
      s.append(line);
    }
    return s.toString();
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
    return postBlocks(site, channel, text, blocks, null);
  }

  @Override
  public java.util.Optional<Posted> postBlocks(String site, String channel, String text, String blocks, String runId) {
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
      ChatPostMessageResponse r = send(site, methods, target, text, blocks, runId, false);
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
    answers.execute(() -> {
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

  /**
   * {@code chat.postMessage}: in the run's thread of the channel when it has one, else on its own,
   * becoming the run's thread once Slack has taken it. A reply Slack refuses ({@code ok:false}: the
   * parent was deleted, ...) is posted once more on its own: threading never loses a notice.
   */
  private ChatPostMessageResponse send(String site, MethodsClient methods, String channel, String text, String blocks,
      String runId, boolean broadcast) throws IOException, SlackApiException {
    if (runId == null) {
      return methods.chatPostMessage(message(channel, text, blocks, null, false));
    }
    String parent = thread(runId, channel);
    if (parent == null) {
      synchronized (parentLocks.computeIfAbsent(runId + "\n" + channel, k -> new Object())) {
        // another notice of the run may have become the parent meanwhile
        parent = thread(runId, channel);
        if (parent == null) {
          ChatPostMessageResponse r = methods.chatPostMessage(message(channel, text, blocks, null, false));
          if (r.isOk() && r.getTs() != null) {
            remember(runId, channel, site, r.getTs());
          }
          return r;
        }
      }
    }
    ChatPostMessageResponse r = methods.chatPostMessage(message(channel, text, blocks, parent, broadcast));
    if (r.isOk()) {
      return r;
    }
    log.warn("Slack refused a reply in run {}'s thread {} of {} ({}): posting it on its own", runId, parent, channel,
        r.getError());
    return methods.chatPostMessage(message(channel, text, blocks, null, false));
  }

  private static ChatPostMessageRequest message(String channel, String text, String blocks, String threadTs,
      boolean broadcast) {
    ChatPostMessageRequest.ChatPostMessageRequestBuilder b = ChatPostMessageRequest.builder().channel(channel).text(text);
    if (blocks != null) {
      b.blocksAsString(blocks);
    }
    if (threadTs != null) {
      b.threadTs(threadTs).replyBroadcast(broadcast);
    }
    return b.build();
  }

  /** The run's thread in the channel; null when it has none (or the database cannot say: the notice goes on its own). */
  private String thread(String runId, String channel) {
    try {
      return threads.find(runId, channel).orElse(null);
    } catch (RuntimeException e) {
      log.warn("Slack thread of run {} in {} not read ({}): the notice is posted on its own", runId, channel, e.toString());
      return null;
    }
  }

  private void remember(String runId, String channel, String site, String ts) {
    try {
      if (threads.record(runId, channel, site, ts)) {
        log.info("Slack thread of run {} in {}: {}", runId, channel, ts);
      }
    } catch (RuntimeException e) {
      log.warn("Slack thread {} of run {} in {} not recorded ({}): the next notice starts another", ts, runId, channel,
          e.toString());
    }
  }

  /** One try; null when delivered, else why not. */
  private String attempt(String site, String channel, String text, String id, int attempts, String runId,
      boolean broadcast) {
    String error;
    try {
      Site s = sites.require(site);
      String token = access.token(s).orElse(null);
      if (token == null) {
        error = "no Slack token: environment variable " + (s.credentials() == null ? "(none named)"
            : s.credentials().slackTokenEnv()) + " is not set";
      } else {
        MethodsClient methods = slack.methods(token);
        methods.setEndpointUrlPrefix(access.apiUrl());
        ChatPostMessageResponse r = send(site, methods, channel, text, null, runId, broadcast);
        error = r.isOk() ? null : "Slack answered ok=false: " + r.getError();
      }
    } catch (SlackApiException e) {
      error = "Slack answered HTTP " + e.getResponse().code();
    } catch (IOException e) {
      error = "Slack could not be reached: " + e.getMessage();
    } catch (RuntimeException e) {
      error = "posting to Slack failed: " + e;
    }
    if (error != null) {
      log.warn("Slack notice {} to {} not delivered (attempt {}): {}", id, channel, attempts, error);
    }
    return error;
  }

  @PreDestroy
  void stop() {
    closing = true;
    // a retry interrupted by the stop (its post fails) must not leave its notices claimed for
    // NoticeStore.CLAIM: the next node or start takes them up at once
    for (String claimer : claims) {
      try {
        store.release(claimer);
      } catch (RuntimeException e) {
        log.warn("Slack notices claimed by a stopping retry not released (free again in {}): {}", NoticeStore.CLAIM,
            e.toString());
      }
    }
    answers.shutdownNow();
    try {
      slack.close();
    } catch (Exception e) {
      log.debug("closing the Slack client: {}", e.toString());
    }
  }
}
