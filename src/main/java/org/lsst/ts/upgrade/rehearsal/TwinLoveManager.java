package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The twin's LOVE-manager: the REST API the orchestrator uses, on a loopback port, one base path
 * per site ({@code /<site>/love}). Logins issue a new token each time; {@code cmd_add},
 * {@code cmd_resume}, {@code cmd_pause}, {@code cmd_showQueue}, {@code cmd_showScript} and {@code cmd_stopScripts} go to {@link TwinLoveQueues}, state commands to
 * {@link TwinCscs}. Semantics as the real one: 400 on a bad login, 401 on an unknown token, 403
 * for a user without {@code execute_commands}, 504 when the CSC does not answer within LOVE's
 * command timeout, a non-JSON 500 when the command fails, 503 while LOVE is down
 * ({@link TwinServices}). Faults ({@code system: love}, target = the CSC, e.g.
 * {@code ScriptQueue:1}, or {@code get-token}): {@code http-500}, {@code http-504} (param
 * {@code executed}: whether the command went through anyway, default true), {@code http-503};
 * the queues' own faults ({@code script-fails}, {@code script-hangs}, {@code queue-restarts},
 * {@code queue-restarts-before-start}) are in {@link TwinLoveQueues}.
 * The operator user is whatever the site's LOVE credential variables hold; the user
 * {@code observer} / {@code observer} may log in but not command.
 */
@Component
@Profile("rehearsal")
public class TwinLoveManager {
  private static final Logger log = LoggerFactory.getLogger(TwinLoveManager.class);
  static final String OBSERVER = "observer";
  private static final String DJANGO_500 = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n"
      + "</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";

  private static final java.util.Set<String> STATE_COMMANDS =
      java.util.Set.of("start", "enable", "disable", "standby", "exitControl", "enterControl");

  private record Session(String site, String user, boolean canCommand) {}

  private final SimulatedSites sites;
  private final Environment environment;
  private final TwinLoveQueues queues;
  private final TwinCscs cscs;
  private final ActionLog actions;
  private final LatencyModel latency;
  private final FaultRegistry faults;
  private final TwinServices services;
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> tokens = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;

  public TwinLoveManager(SimulatedSites sites, Environment environment, TwinLoveQueues queues, TwinCscs cscs,
      ActionLog actions, LatencyModel latency, FaultRegistry faults, TwinServices services) throws IOException {
    this.sites = sites;
    this.environment = environment;
    this.queues = queues;
    this.cscs = cscs;
    this.actions = actions;
    this.latency = latency;
    this.faults = faults;
    this.services = services;
    this.server = TwinHttp.loopback(50);
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "twin-love-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    for (Site s : sites.all()) {
      String url = baseUrl(s.id());
      sites.update(s.id(), site -> site.withEndpoints(new Site.Endpoints(url, site.endpoints().argocd(),
          site.endpoints().chronograf(), site.endpoints().nublado(), site.endpoints().schemaRegistry(),
          site.endpoints().kafkaBootstrap(), site.endpoints().kafkaTopicSubname(),
          site.endpoints().kubernetesApiUrl())));
    }
    log.info("Twin LOVE-manager on port {}", port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl(String site) {
    return "http://127.0.0.1:" + port() + "/" + site + "/love";
  }

  /** Every token stops working (as when they expire): the next call gets 401. */
  public void expireTokens() {
    tokens.clear();
  }

  /** How many sessions (tokens) are open at a site; a client that reuses its token keeps this at 1. */
  public long openSessions(String site) {
    return tokens.values().stream().filter(s -> s.site().equals(site)).count();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String[] parts = path.split("/", 4); // "", site, "love", rest
      if (parts.length < 4 || !"love".equals(parts[2]) || sites.find(parts[1]).isEmpty()) {
        send(ex, 404, "{\"detail\":\"Not found.\"}");
        return;
      }
      String site = parts[1];
      String rest = "/" + parts[3];
      ActionLog.Running act = actions.begin(site, "love", site + "/love", ex.getRequestMethod() + " " + rest, Map.of());
      try {
        TwinLoveQueues.pause(latency.of("love.request"));
        if (!services.isUp(site, TwinServices.LOVE)) {
          send(ex, 503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
          return;
        }
        switch (ex.getRequestMethod() + " " + rest) {
          case "POST /manager/api/get-token/" -> login(ex, site);
          case "DELETE /manager/api/logout/" -> logout(ex);
          case "POST /manager/api/cmd/" -> command(ex, site);
          default -> send(ex, 404, "{\"detail\":\"Not found.\"}");
        }
      } finally {
        act.end();
      }
    } catch (RuntimeException e) {
      log.error("Twin LOVE-manager failed on {}", ex.getRequestURI(), e);
    }
  }

  private void login(HttpExchange ex, String site) throws IOException {
    Optional<FaultRegistry.Fault> fault = httpFault(site, "get-token");
    if (fault.isPresent() && httpFault(ex, fault.get())) {
      return;
    }
    JsonNode body = readJson(ex);
    String user = body == null ? null : body.path("username").asText(null);
    String password = body == null ? null : body.path("password").asText(null);
    Boolean canCommand = authenticate(site, user, password);
    if (canCommand == null) {
      actions.record(site, "love", site + "/love", "login-refused", Map.of("user", String.valueOf(user)));
      send(ex, 400, "{\"non_field_errors\":[\"Unable to log in with provided credentials.\"]}");
      return;
    }
    byte[] b = new byte[20];
    random.nextBytes(b);
    String token = HexFormat.of().formatHex(b);
    tokens.put(token, new Session(site, user, canCommand));
    actions.record(site, "love", site + "/love", "login", Map.of("user", user));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("user", Map.of("username", user, "email", user + "@rehearsal.invalid"));
    r.put("token", token);
    r.put("permissions", Map.of("execute_commands", canCommand));
    r.put("time_data", Map.of("utc", System.currentTimeMillis() / 1000.0));
    send(ex, 200, json.writeValueAsString(r));
  }

  /** null: refused; else whether the user may command. */
  private Boolean authenticate(String site, String user, String password) {
    if (user == null || password == null) {
      return null;
    }
    if (OBSERVER.equals(user) && OBSERVER.equals(password)) {
      return false;
    }
    Site.Credentials c = sites.require(site).credentials();
    String u = c == null || c.loveUsernameEnv() == null ? null : environment.getProperty(c.loveUsernameEnv());
    String p = c == null || c.lovePasswordEnv() == null ? null : environment.getProperty(c.lovePasswordEnv());
    return u != null && p != null && u.equals(user) && p.equals(password) ? Boolean.TRUE : null;
  }

  private void logout(HttpExchange ex) throws IOException {
    Session s = session(ex);
    if (s == null) {
      send(ex, 401, "{\"detail\":\"Invalid token.\"}");
      return;
    }
    tokens.remove(token(ex));
    actions.record(s.site(), "love", s.site() + "/love", "logout", Map.of("user", s.user()));
    send(ex, 200, "{\"detail\":\"Logout successful.\"}");
  }

  private void command(HttpExchange ex, String site) throws IOException {
    Session s = session(ex);
    if (s == null || !s.site().equals(site)) {
      send(ex, 401, "{\"detail\":\"Invalid token.\"}");
      return;
    }
    if (!s.canCommand()) {
      send(ex, 403, "{\"ack\":\"Your user is not allowed to command the observatory.\"}");
      return;
    }
    JsonNode body = readJson(ex);
    if (body == null || !body.hasNonNull("csc") || !body.hasNonNull("cmd")) {
      send(ex, 400, "{\"ack\":\"Request must have 'csc', 'salindex', 'cmd' and 'params'.\"}");
      return;
    }
    CscId id;
    try {
      int index = body.path("salindex").asInt(0);
      id = index == 0 ? CscId.of(body.get("csc").asText()) : CscId.of(body.get("csc").asText(), index);
      cscs.get(site, id);
    } catch (IllegalArgumentException e) {
      noAck(ex); // the commander waits for an ack that never comes
      return;
    }
    String cmd = body.get("cmd").asText();
    JsonNode params = body.path("params");
    Optional<FaultRegistry.Fault> fault = httpFault(site, id.toString());
    boolean executeAnyway = fault.map(f -> !"false".equals(f.params().get("executed"))).orElse(true);
    if (fault.isPresent() && !"http-504".equals(fault.get().kind()) && httpFault(ex, fault.get())) {
      return;
    }
    TwinLoveQueues.Ack ack = executeAnyway ? execute(site, id, cmd, params) : null;
    if (fault.isPresent()) {
      noAck(ex);
      return;
    }
    switch (ack.kind()) {
      case OK -> send(ex, 200, json.writeValueAsString(Map.of("ack", ack.result())));
      case NO_ACK -> noAck(ex);
      case FAILED -> {
        actions.record(site, "love", site + "/" + id, cmd + "-failed", Map.of("reason", ack.result()));
        sendHtml(ex, 500, DJANGO_500);
      }
    }
  }

  private TwinLoveQueues.Ack execute(String site, CscId id, String cmd, JsonNode params) {
    if ("ScriptQueue".equals(id.component()) && id.index() != null) {
      switch (cmd) {
        case "cmd_add" -> {
          return queues.add(site, id.index(), params.path("isStandard").asBoolean(true),
              params.path("path").asText(""), params.path("config").asText(""), params.path("descr").asText(""));
        }
        case "cmd_resume" -> {
          return queues.resume(site, id.index());
        }
        case "cmd_pause" -> {
          return queues.pause(site, id.index());
        }
        case "cmd_showQueue" -> {
          return queues.showQueue(site, id.index());
        }
        case "cmd_showScript" -> {
          // ts_xml: salIndex
          return queues.showScript(site, id.index(), params.path("salIndex").asInt(0));
        }
        case "cmd_stopScripts" -> {
          // ts_xml: salIndices (array), length (how many of them count), terminate
          int length = params.path("length").asInt(0);
          List<Integer> indices = new ArrayList<>();
          params.path("salIndices").forEach(n -> indices.add(n.asInt()));
          if (length <= 0 || length > indices.size()) {
            return TwinLoveQueues.Ack.failed("Failed : length=" + length + " must be positive and at most the "
                + indices.size() + " salIndices given");
          }
          return queues.stopScripts(site, id.index(), indices.subList(0, length), params.path("terminate").asBoolean(false));
        }
        default -> { /* state commands below */ }
      }
    }
    if (!cmd.startsWith("cmd_")) {
      return TwinLoveQueues.Ack.failed("unknown command " + cmd);
    }
    TwinLoveQueues.pause(latency.of("csc.command"));
    String name = cmd.substring(4);
    if (!STATE_COMMANDS.contains(name)) {
      // other commands: accepted by a running CSC (setLogLevel in any state, the rest when ENABLED)
      TwinCscs.SimulatedCsc c = cscs.get(site, id);
      if (!c.beating()) {
        return TwinLoveQueues.Ack.noAck("No ack from " + id + ": it is not running");
      }
      if (!"setLogLevel".equals(name) && c.state() != org.lsst.ts.upgrade.site.SummaryState.ENABLED) {
        return TwinLoveQueues.Ack.failed("Rejected : command " + name + " not allowed in state " + c.state());
      }
      actions.record(site, "csc", site + "/" + id, name, json.convertValue(params, Map.class));
      return TwinLoveQueues.Ack.ok("Done : OK");
    }
    TwinCscs.CommandResult r = cscs.command(site, id, name);
    if (r.ok()) {
      return TwinLoveQueues.Ack.ok("Done : OK");
    }
    return r.message().startsWith("No ack") ? TwinLoveQueues.Ack.noAck(r.message()) : TwinLoveQueues.Ack.failed(r.message());
  }

  /** Answers an HTTP fault; false if the fault is not an HTTP one. */
  private boolean httpFault(HttpExchange ex, FaultRegistry.Fault f) throws IOException {
    switch (f.kind()) {
      case "http-500" -> sendHtml(ex, 500, DJANGO_500);
      case "http-503" -> send(ex, 503, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
      case "http-504" -> noAck(ex);
      default -> {
        return false;
      }
    }
    return true;
  }

  private Optional<FaultRegistry.Fault> httpFault(String site, String target) {
    for (String kind : new String[] {"http-500", "http-503", "http-504"}) {
      Optional<FaultRegistry.Fault> f = faults.consult(site, "love", target, kind);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  private void noAck(HttpExchange ex) throws IOException {
    TwinLoveQueues.pause(latency.of("love.command-timeout"));
    send(ex, 504, "{\"ack\":\"Command time out\"}");
  }

  private Session session(HttpExchange ex) {
    String t = token(ex);
    return t == null ? null : tokens.get(t);
  }

  private static String token(HttpExchange ex) {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    return h != null && h.startsWith("Token ") ? h.substring(6).trim() : null;
  }

  private JsonNode readJson(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      return json.readTree(in);
    } catch (IOException e) {
      return null;
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
    write(ex, status, body);
  }

  private static void sendHtml(HttpExchange ex, int status, String body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    write(ex, status, body);
  }

  private static void write(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }
}
