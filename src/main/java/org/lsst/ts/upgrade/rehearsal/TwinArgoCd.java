package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The twin's Argo CD: one HTTP server per site on a loopback port, serving the REST endpoints the
 * orchestrator uses ({@code POST /api/v1/session}, {@code GET /api/v1/applications?projects=},
 * {@code GET /api/v1/applications/{name}[?refresh=]}, {@code POST /api/v1/applications/{name}/sync})
 * under the site's {@code /argo-cd} path. Applications: the parent app, nublado (project rsp),
 * sasquatch (monitoring) and every app of the telescope project.
 *
 * <p>An app's sync and health come from the twin cluster ({@link TwinKubernetes}): OutOfSync and
 * Missing while objects it deploys are absent, Progressing while it runs Jobs, Healthy otherwise.
 * A sync reports Running; after the latency model's {@code argocd.sync} it creates the missing
 * objects, starts the CSC simulators of the Jobs it created (they reach STANDBY, or ENABLED for
 * the site's {@code enabled-on-start}, after {@code csc.start}), and reports Succeeded. A second
 * sync while one runs gets Argo CD's "another operation is already in progress".
 *
 * <p>Faults ({@link FaultRegistry}, system {@code argocd}, target an app or {@code *}):
 * {@code sync-fails} (the operation ends Failed; param {@code message}), {@code sync-errors} (the
 * operation ends Error, as when Argo CD itself cannot run it; param {@code message}), {@code slow} (every
 * request waits param {@code millis}, default 2000), {@code token-expired} (the next request's
 * session token is expired: 401), {@code degraded} (health Degraded; param {@code message}).
 *
 * <p>Rehearsal credentials: the site's credentials are repointed at the env/property names
 * {@value #USERNAME_PROPERTY} / {@value #PASSWORD_PROPERTY} (defined in application-rehearsal.yaml).
 */
@Component
@Profile("rehearsal")
public class TwinArgoCd {
  private static final Logger log = LoggerFactory.getLogger(TwinArgoCd.class);
  public static final String USERNAME_PROPERTY = "ARGOCD_REHEARSAL_USERNAME";
  public static final String PASSWORD_PROPERTY = "ARGOCD_REHEARSAL_PASSWORD";
  static final String BASE_PATH = "/argo-cd";
  static final String ALREADY_RUNNING = "another operation is already in progress";

  private final SimulatedSites sites;
  private final TwinKubernetes kubernetes;
  private final TwinCscs cscs;
  private final LatencyModel latency;
  private final ActionLog actions;
  private final FaultRegistry faults;
  private final String username;
  private final String password;
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
  private final Map<String, Map<String, App>> apps = new ConcurrentHashMap<>();
  /** Valid tokens per site (session tokens and pre-issued API tokens). */
  private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();
  private final ExecutorService handlers = Executors.newFixedThreadPool(8, daemon("twin-argocd-http"));
  private final ScheduledExecutorService operations = Executors.newScheduledThreadPool(2, daemon("twin-argocd-sync"));

  /** An application and its last operation. */
  static final class App {
    final String name;
    final String project;
    final String namespace;
    volatile String phase;
    volatile String message;
    volatile Instant startedAt;
    volatile Instant finishedAt;

    App(String name, String project, String namespace, Instant lastSync) {
      this.name = name;
      this.project = project;
      this.namespace = namespace;
      this.phase = "Succeeded";
      this.message = "successfully synced (all tasks run)";
      this.startedAt = lastSync;
      this.finishedAt = lastSync.plusSeconds(30);
    }
  }

  public TwinArgoCd(SimulatedSites sites, TwinKubernetes kubernetes, TwinCscs cscs, LatencyModel latency, ActionLog actions,
      FaultRegistry faults, Environment environment) {
    this.sites = sites;
    this.kubernetes = kubernetes;
    this.cscs = cscs;
    this.latency = latency;
    this.actions = actions;
    this.faults = faults;
    this.username = environment.getProperty(USERNAME_PROPERTY, "admin");
    this.password = environment.getProperty(PASSWORD_PROPERTY, "rehearsal");
    Instant lastSync = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    for (Site site : sites.all()) {
      if (site.argocd() == null) {
        continue;
      }
      var a = site.argocd();
      Map<String, App> m = new LinkedHashMap<>();
      m.put(a.parentApp(), new App(a.parentApp(), "default", "argocd", lastSync));
      m.put(a.nubladoApp(), new App(a.nubladoApp(), "rsp", "nublado", lastSync));
      m.put(a.sasquatchApp(), new App(a.sasquatchApp(), "monitoring", "sasquatch", lastSync));
      for (String t : a.telescopeApps()) {
        m.put(t, new App(t, a.telescopeProject(), t, lastSync));
      }
      apps.put(site.id(), m);
      tokens.put(site.id(), ConcurrentHashMap.newKeySet());
      start(site);
    }
  }

  private void start(Site site) {
    String id = site.id();
    try {
      HttpServer server = TwinHttp.loopback(0);
      server.createContext(BASE_PATH + "/api/v1/", ex -> {
        // every request is the site's time, its latency included
        Runnable answered = actions.serving(id, "argocd");
        try {
          handle(id, ex);
        } finally {
          answered.run();
        }
      });
      server.setExecutor(handlers);
      server.start();
      servers.put(id, server);
      String url = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + BASE_PATH;
      sites.update(id, s -> withArgoCd(s, url));
      log.info("Twin Argo CD of {} at {}", id, url);
    } catch (IOException e) {
      throw new IllegalStateException("twin Argo CD of " + id + " cannot bind a loopback port: " + e, e);
    }
  }

  /** The site pointed at this server, logging in with the rehearsal account (never a token env). */
  private static Site withArgoCd(Site s, String url) {
    var e = s.endpoints();
    var c = s.credentials();
    var endpoints = new Site.Endpoints(e.love(), url, e.chronograf(), e.nublado(), e.schemaRegistry(), e.kafkaBootstrap(),
        e.kafkaTopicSubname(), e.kubernetesApiUrl());
    var credentials = new Site.Credentials(c == null ? null : c.loveUsernameEnv(), c == null ? null : c.lovePasswordEnv(),
        null, USERNAME_PROPERTY, PASSWORD_PROPERTY, c == null ? null : c.kafkaUsernameEnv(),
        c == null ? null : c.kafkaPasswordEnv(), c == null ? null : c.slackTokenEnv());
    return s.withEndpoints(endpoints).withCredentials(credentials);
  }

  /** A pre-issued API token (as {@code argocd account generate-token} would give), valid until expired by a fault. */
  public String issueToken(String site) {
    String t = "argocd-api-" + randomHex(12);
    tokens.get(site).add(t);
    return t;
  }

  /** The operation phase of an app (for tests and the control API). */
  public String phase(String site, String app) {
    return app(site, app).map(a -> a.phase).orElse(null);
  }

  private Optional<App> app(String site, String name) {
    return Optional.ofNullable(apps.getOrDefault(site, Map.of()).get(name));
  }

  // ---- HTTP ----

  private void handle(String site, HttpExchange ex) {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getPath().substring((BASE_PATH + "/api/v1").length());
      Map<String, List<String>> query = query(uri.getRawQuery());
      pause(site, path);
      if (method.equals("POST") && path.equals("/session")) {
        login(site, ex);
        return;
      }
      if (!authorized(site, ex)) {
        return;
      }
      String[] parts = path.split("/");
      String[] raw = uri.getRawPath().substring((BASE_PATH + "/api/v1").length()).split("/");
      if (method.equals("GET") && raw.length == 6 && raw[1].equals("repositories") && raw[3].equals("revisions")
          && raw[5].equals("metadata")) {
        // the repo server resolving a revision: every revision resolves unless an "unknown-revision" fault names it
        String repo = java.net.URLDecoder.decode(raw[2], java.nio.charset.StandardCharsets.UTF_8);
        String rev = java.net.URLDecoder.decode(raw[4], java.nio.charset.StandardCharsets.UTF_8);
        boolean unknown = faults.consult(site, "argocd", rev, "unknown-revision").isPresent();
        actions.record(site, "argocd", site + "/repositories", "revision-metadata", Map.of("repo", repo, "revision", rev,
            "found", !unknown));
        if (unknown) {
          error(ex, 404, 5, "unable to resolve '" + rev + "' to a commit SHA");
          return;
        }
        ObjectNode meta = json.createObjectNode();
        meta.put("author", "Rehearsal Twin <twin@example.org>");
        meta.put("date", java.time.Instant.now().toString());
        meta.put("message", "Merge " + rev);
        send(ex, 200, meta);
        return;
      }
      if (method.equals("GET") && path.equals("/applications")) {
        List<String> projects = new ArrayList<>(query.getOrDefault("projects", List.of()));
        projects.addAll(query.getOrDefault("project", List.of()));
        actions.record(site, "argocd", site + "/*", "list", Map.of("projects", projects));
        ArrayNode items = json.createArrayNode();
        apps.get(site).values().stream().filter(a -> projects.isEmpty() || projects.contains(a.project))
            .forEach(a -> items.add(render(site, a)));
        ObjectNode list = json.createObjectNode();
        list.putObject("metadata").put("resourceVersion", String.valueOf(System.nanoTime()));
        list.set("items", items);
        send(ex, 200, list);
      } else if (method.equals("GET") && parts.length == 3 && parts[1].equals("applications")) {
        Optional<App> app = app(site, parts[2]);
        if (app.isEmpty()) {
          notFound(ex, parts[2]);
          return;
        }
        if (query.containsKey("refresh")) {
          actions.record(site, "argocd", site + "/" + parts[2], "refresh", Map.of("refresh", query.get("refresh").get(0)));
        }
        send(ex, 200, render(site, app.get()));
      } else if (method.equals("GET") && parts.length == 4 && parts[1].equals("applications")
          && parts[3].equals("managed-resources")) {
        Optional<App> app = app(site, parts[2]);
        if (app.isEmpty()) {
          notFound(ex, parts[2]);
          return;
        }
        actions.record(site, "argocd", site + "/" + parts[2], "managed-resources", Map.of());
        ObjectNode body = json.createObjectNode();
        ArrayNode items = body.putArray("items");
        if (parts[2].equals("sasquatch")) {
          // the twin's sasquatch always has one pending configuration change, for the person to see
          ObjectNode i = items.addObject();
          i.put("kind", "ConfigMap");
          i.put("namespace", "sasquatch");
          i.put("name", "sasquatch-kafka-connect");
          i.put("liveState", "{\"data\":{\"topics.regex\":\"lsst.sal.*\",\"tasks.max\":\"4\"}}");
          i.put("targetState", "{\"data\":{\"topics.regex\":\"lsst.sal.*\",\"tasks.max\":\"8\"}}");
          i.put("modified", true);
        }
        send(ex, 200, body);
      } else if (method.equals("POST") && parts.length == 4 && parts[1].equals("applications") && parts[3].equals("sync")) {
        Optional<App> app = app(site, parts[2]);
        if (app.isEmpty()) {
          notFound(ex, parts[2]);
          return;
        }
        ex.getRequestBody().readAllBytes();
        if (!sync(site, app.get())) {
          error(ex, 400, 9, ALREADY_RUNNING);
          return;
        }
        send(ex, 200, render(site, app.get()));
      } else {
        error(ex, 404, 5, "Not Found: " + method + " " + uri.getPath());
      }
    } catch (RuntimeException | IOException e) {
      log.warn("Twin Argo CD of {}: {} failed: {}", site, ex.getRequestURI(), e.toString());
    }
  }

  /** The slow-API fault: the request waits (on the twin's server thread only). */
  private void pause(String site, String path) {
    faults.consult(site, "argocd", "*", "slow").ifPresent(f -> {
      long ms = Long.parseLong(f.params().getOrDefault("millis", "2000"));
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    long base = latency.of("argocd.request").toNanos();
    if (base > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(base);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void login(String site, HttpExchange ex) throws IOException {
    JsonNode body = readJson(ex.getRequestBody());
    String u = body.path("username").asText("");
    String p = body.path("password").asText("");
    boolean ok = username.equals(u) && password.equals(p);
    actions.record(site, "argocd", site + "/session", "login", Map.of("username", u, "ok", ok));
    if (!ok) {
      error(ex, 401, 16, "Invalid username or password");
      return;
    }
    String token = "argocd-session-" + randomHex(16);
    tokens.get(site).add(token);
    ObjectNode out = json.createObjectNode();
    out.put("token", token);
    send(ex, 200, out);
  }

  private boolean authorized(String site, HttpExchange ex) throws IOException {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
    if (token == null || !tokens.get(site).contains(token)) {
      error(ex, 401, 16, "no session information");
      return false;
    }
    if (faults.consult(site, "argocd", "*", "token-expired").isPresent()) {
      tokens.get(site).remove(token);
      actions.record(site, "argocd", site + "/session", "token-expired", Map.of());
      error(ex, 401, 16, "invalid session: token has invalid claims: token is expired");
      return false;
    }
    return true;
  }

  // ---- operations ----

  /** Starts a sync; false if an operation is already running. */
  private boolean sync(String site, App app) {
    boolean fails;
    String failPhase;
    String failMessage;
    synchronized (app) {
      if ("Running".equals(app.phase)) {
        actions.record(site, "argocd", site + "/" + app.name, "sync-refused", Map.of("reason", ALREADY_RUNNING));
        return false;
      }
      var fault = faults.consult(site, "argocd", app.name, "sync-fails");
      var error = fault.isPresent() ? Optional.<FaultRegistry.Fault>empty()
          : faults.consult(site, "argocd", app.name, "sync-errors");
      fails = fault.isPresent() || error.isPresent();
      failPhase = error.isPresent() ? "Error" : "Failed";
      failMessage = fault.map(f -> f.params().getOrDefault("message",
          "one or more objects failed to apply, reason: rehearsal fault injected"))
          .or(() -> error.map(f -> f.params().getOrDefault("message",
              "rpc error: code = Unknown desc = rehearsal fault injected"))).orElse(null);
      app.phase = "Running";
      app.message = "waiting for completion of hook and 0 more resources";
      app.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS); // Argo CD's timestamps have second precision
      app.finishedAt = null;
    }
    ActionLog.Running running = actions.begin(site, "argocd", site + "/" + app.name, "sync", Map.of("project", app.project));
    operations.schedule(() -> finish(site, app, fails, failPhase, failMessage, running),
        latency.of("argocd.sync").toNanos(), TimeUnit.NANOSECONDS);
    return true;
  }

  private void finish(String site, App app, boolean fails, String failPhase, String failMessage,
      ActionLog.Running running) {
    try {
      if (fails) {
        synchronized (app) {
          app.phase = failPhase;
          app.message = failMessage;
          app.finishedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        return;
      }
      List<CscId> started = kubernetes.applyApp(site, app.name);
      started.forEach(id -> cscs.launch(site, id));
      synchronized (app) {
        app.phase = "Succeeded";
        app.message = "successfully synced (all tasks run)";
        app.finishedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      log.warn("Twin Argo CD of {}: sync of {} failed: {}", site, app.name, e.toString());
      synchronized (app) {
        app.phase = "Error";
        app.message = e.getMessage();
        app.finishedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      }
    } finally {
      running.end();
    }
  }

  private ObjectNode render(String site, App app) {
    List<String> missing = kubernetes.missing(site, app.name);
    var degraded = faults.list().stream().filter(f -> "argocd".equals(f.system()) && "degraded".equals(f.kind())
        && (f.site() == null || f.site().equals(site)) && ("*".equals(f.target()) || f.target().equals(app.name)))
        .findFirst();
    String health;
    String healthMessage = null;
    if (degraded.isPresent()) {
      health = "Degraded";
      healthMessage = degraded.get().params().getOrDefault("message", "Job has reached the specified backoff limit");
    } else if (!missing.isEmpty()) {
      health = "Missing";
    } else if (kubernetes.hasJobs(site, app.name)) {
      health = "Progressing"; // a running Job is Progressing: telescope apps never become Healthy
    } else {
      health = "Healthy";
    }
    ObjectNode a = json.createObjectNode();
    ObjectNode meta = a.putObject("metadata");
    meta.put("name", app.name);
    meta.put("namespace", "argocd");
    ObjectNode spec = a.putObject("spec");
    spec.put("project", app.project);
    spec.putObject("destination").put("namespace", app.namespace).put("server", "https://kubernetes.default.svc");
    ObjectNode status = a.putObject("status");
    ObjectNode sync = status.putObject("sync");
    sync.put("status", missing.isEmpty() ? "Synced" : "OutOfSync");
    sync.put("revision", "rehearsal");
    ObjectNode h = status.putObject("health");
    h.put("status", health);
    if (healthMessage != null) {
      h.put("message", healthMessage);
    }
    ArrayNode resources = status.putArray("resources");
    for (String key : kubernetes.desired(site, app.name)) {
      String[] k = key.split("/", 3);
      ObjectNode r = resources.addObject();
      r.put("kind", k[0]);
      r.put("namespace", k.length == 3 ? k[1] : "");
      r.put("name", k[k.length - 1]);
      r.put("status", missing.contains(key) ? "OutOfSync" : "Synced");
    }
    synchronized (app) {
      ObjectNode op = status.putObject("operationState");
      op.put("phase", app.phase);
      op.put("message", app.message);
      op.put("startedAt", app.startedAt.toString());
      if (app.finishedAt != null) {
        op.put("finishedAt", app.finishedAt.toString());
      }
      op.putObject("operation").putObject("sync").put("revision", "rehearsal");
    }
    return a;
  }

  // ---- plumbing ----

  private JsonNode readJson(InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
  }

  private void notFound(HttpExchange ex, String name) throws IOException {
    error(ex, 404, 5, "applications.argoproj.io \"" + name + "\" not found");
  }

  /** Argo CD's gRPC-gateway error body. */
  private void error(HttpExchange ex, int status, int code, String message) throws IOException {
    ObjectNode e = json.createObjectNode();
    e.put("error", message);
    e.put("code", code);
    e.put("message", message);
    send(ex, status, e);
  }

  private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String p : raw.split("&")) {
      String[] kv = p.split("=", 2);
      q.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return q;
  }

  private String randomHex(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @PreDestroy
  void stop() {
    servers.values().forEach(s -> s.stop(0));
    operations.shutdownNow();
    handlers.shutdownNow();
  }
}
