package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.lsst.ts.upgrade.chat.SlackAccess;
import org.lsst.ts.upgrade.site.Site;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The twin's Slack: a Web API endpoint ({@code POST /api/chat.postMessage}, form or JSON, bot
 * token in {@code Authorization: Bearer}) on a loopback port that records every message, and the
 * {@link SlackAccess} that points the orchestrator's Slack client at it with a demo token. The
 * site of a message is found from its channel through the site files. Threads as Slack has them: a
 * message with {@code thread_ts} is a reply to the channel's message with that ts (the twin answers
 * {@code thread_not_found} when there is none, so a wrong thread shows in tests), {@code
 * reply_broadcast} shows it in the channel too; each message gets a ts of its own.
 *
 * <p>Faults (system {@code slack}, target = channel or {@code *}): {@code outage} (HTTP 500),
 * {@code not-ok} (HTTP 200 {@code ok:false}, param {@code error}).
 */
@Component
@Primary
@Profile("rehearsal")
public class TwinSlack implements SlackAccess {
  /** The rehearsal bot token (demo credential of the rehearsal profile only). */
  static final String TOKEN = "xoxb-rehearsal-demo-token";

  /**
   * A recorded message, as it reads now.
   *
   * @param blocks the Block Kit JSON array, or null
   * @param updatedAt when {@code chat.update} last replaced it, or null
   * @param threadTs the ts of the thread's parent when it is a reply, else null
   * @param broadcast a reply also shown in the channel ({@code reply_broadcast})
   */
  public record Message(String site, String channel, String text, String blocks, String ts, Instant at,
      Instant updatedAt, String threadTs, boolean broadcast) {

    /** Whether the channel shows it: a message of its own, or a broadcast reply. */
    public boolean inChannel() {
      return threadTs == null || broadcast;
    }
  }

  /** An answer the orchestrator sent to a click's {@code response_url}. */
  public record Response(String responseUrl, String body, Instant at) {}

  private final SimulatedSites sites;
  private final ActionLog actions;
  private final FaultRegistry faults;
  private final LatencyModel latency;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Message> messages = new ArrayList<>();
  private final List<Response> responses = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "twin-slack");
    t.setDaemon(true);
    return t;
  });

  public TwinSlack(SimulatedSites sites, ActionLog actions, FaultRegistry faults, LatencyModel latency) throws IOException {
    this.sites = sites;
    this.actions = actions;
    this.faults = faults;
    this.latency = latency;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/", this::handle);
    server.createContext("/response/", this::respond);
    server.setExecutor(executor);
    server.start();
  }

  @Override
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  @Override
  public Optional<String> token(Site site) {
    return Optional.of(TOKEN);
  }

  /** Messages recorded for a site (null: all), oldest first. */
  public List<Message> messages(String site) {
    synchronized (messages) {
      return messages.stream().filter(m -> site == null || site.equals(m.site())).toList();
    }
  }

  /** The message of the site with this timestamp. */
  public Optional<Message> message(String site, String ts) {
    return messages(site).stream().filter(m -> m.ts().equals(ts)).findFirst();
  }

  /** What the orchestrator answered to clicks through their {@code response_url}, oldest first. */
  public List<Response> responses() {
    return List.copyOf(responses);
  }

  /** A fresh {@code response_url} on the twin's Slack, as Slack gives one with each interaction. */
  String newResponseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/response/" + java.util.UUID.randomUUID();
  }

  private void respond(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      responses.add(new Response("http://127.0.0.1:" + server.getAddress().getPort() + ex.getRequestURI().getPath(),
          body, Instant.now()));
      reply(ex, 200, "ok");
    }
  }

  /** The site whose channel (or camera-team channel) this is, or null. */
  String siteOf(String channel) {
    for (Site s : sites.all()) {
      if (s.slack() != null && (channel.equals(s.slack().channel()) || channel.equals(s.slack().cameraTeamChannel()))) {
        return s.id();
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestURI().getPath().substring("/api/".length());
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, "{\"ok\":false,\"error\":\"method_not_allowed\"}");
        return;
      }
      Map<String, String> form = parse(ex);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : form.get("token");
      if (!"chat.postMessage".equals(method) && !"auth.test".equals(method) && !"chat.update".equals(method)) {
        reply(ex, 200, "{\"ok\":false,\"error\":\"unknown_method\"}");
        return;
      }
      if (!TOKEN.equals(token)) {
        reply(ex, 200, "{\"ok\":false,\"error\":\"invalid_auth\"}");
        return;
      }
      if ("auth.test".equals(method)) {
        // slack-api-client asks who the token is (its team-id cache) before rate-limited calls
        reply(ex, 200, "{\"ok\":true,\"url\":\"https://rehearsal.slack.com/\",\"team\":\"rehearsal\","
            + "\"user\":\"upgrade-orchestrator\",\"team_id\":\"T0REHEARSAL\",\"user_id\":\"U0ORCHESTRATOR\","
            + "\"bot_id\":\"B0ORCHESTRATOR\"}");
        return;
      }
      String channel = form.getOrDefault("channel", "");
      String site = siteOf(channel);
      if ("chat.update".equals(method)) {
        update(ex, site, channel, form);
        return;
      }
      var fault = faults.consult(site, "slack", channel);
      if (fault.isPresent() && fault.get().kind().equals("outage")) {
        actions.record(site, "slack", channel, "outage", Map.of());
        reply(ex, 500, "upstream connect error");
        return;
      }
      if (fault.isPresent() && fault.get().kind().equals("not-ok")) {
        String error = fault.get().params().getOrDefault("error", "internal_error");
        actions.record(site, "slack", channel, "not-ok", Map.of("error", error));
        reply(ex, 200, json.writeValueAsString(Map.of("ok", false, "error", error)));
        return;
      }
      if (site == null) {
        reply(ex, 200, "{\"ok\":false,\"error\":\"channel_not_found\"}");
        return;
      }
      String threadTs = form.get("thread_ts") == null || form.get("thread_ts").isBlank() ? null : form.get("thread_ts");
      if (threadTs != null && messages(site).stream().noneMatch(m -> m.channel().equals(channel)
          && m.ts().equals(threadTs) && m.threadTs() == null)) {
        reply(ex, 200, "{\"ok\":false,\"error\":\"thread_not_found\"}");
        return;
      }
      // Slack takes true or 1 (slack-api-client sends 1)
      String flag = form.getOrDefault("reply_broadcast", "false");
      boolean broadcast = threadTs != null && ("1".equals(flag) || "true".equalsIgnoreCase(flag));
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("text", form.getOrDefault("text", ""));
      if (threadTs != null) {
        params.put("thread_ts", threadTs);
        params.put("reply_broadcast", broadcast);
      }
      ActionLog.Running running = actions.begin(site, "slack", channel, "chat.postMessage", params);
      try {
        pause(latency.of("slack.post").toNanos());
      } finally {
        running.end();
      }
      String ts = (System.currentTimeMillis() / 1000) + "." + String.format("%06d", seq.incrementAndGet() % 1_000_000);
      synchronized (messages) {
        messages.add(new Message(site, channel, form.get("text"), form.get("blocks"), ts, Instant.now(), null, threadTs,
            broadcast));
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ok", true);
      body.put("channel", channel);
      body.put("ts", ts);
      Map<String, Object> message = new LinkedHashMap<>(Map.of("type", "message", "text", String.valueOf(form.get("text")),
          "ts", ts));
      if (threadTs != null) {
        message.put("thread_ts", threadTs);
      }
      body.put("message", message);
      reply(ex, 200, json.writeValueAsString(body));
    }
  }

  /** {@code chat.update}: replaces the text and blocks of the channel's message with that ts. */
  private void update(HttpExchange ex, String site, String channel, Map<String, String> form) throws IOException {
    String ts = form.getOrDefault("ts", "");
    boolean found = false;
    synchronized (messages) {
      for (int i = 0; i < messages.size(); i++) {
        Message m = messages.get(i);
        if (m.channel().equals(channel) && m.ts().equals(ts)) {
          messages.set(i, new Message(m.site(), channel, form.getOrDefault("text", m.text()),
              form.getOrDefault("blocks", m.blocks()), ts, m.at(), Instant.now(), m.threadTs(), m.broadcast()));
          found = true;
        }
      }
    }
    if (!found) {
      reply(ex, 200, "{\"ok\":false,\"error\":\"message_not_found\"}");
      return;
    }
    actions.record(site, "slack", channel, "chat.update", Map.of("ts", ts, "text", form.getOrDefault("text", "")));
    reply(ex, 200, json.writeValueAsString(Map.of("ok", true, "channel", channel, "ts", ts,
        "text", form.getOrDefault("text", ""))));
  }

  /** The simulated network and Slack time (microseconds at test time scales) on the server's own thread. */
  private static void pause(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() < until) {
      java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
    }
  }

  private Map<String, String> parse(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
    Map<String, String> form = new LinkedHashMap<>();
    if (type.startsWith("application/json")) {
      JsonNode node = json.readTree(body);
      node.fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
          : e.getValue().toString()));
      return form;
    }
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(k, v);
    }
    return form;
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json; charset=utf-8" : "text/plain");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @PreDestroy
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }
}
