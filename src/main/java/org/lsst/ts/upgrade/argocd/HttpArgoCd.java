package org.lsst.ts.upgrade.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@link ArgoCd} over Argo CD's REST API (java.net.http). Credentials: a pre-issued API token from
 * the environment variable the site file names, else a session login with the username/password
 * variables; a session token is reused, and renewed once when Argo CD answers 401 (expired). The
 * URL is read from the site at every call. Secrets are never logged nor put in messages.
 */
@Component
class HttpArgoCd implements ArgoCd {
  private static final Logger log = LoggerFactory.getLogger(HttpArgoCd.class);
  /** Application and project names are Kubernetes object names: nothing else may reach a URL path. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  static final String ALREADY_RUNNING = "another operation is already in progress";

  private final Sites sites;
  private final ArgoCdProperties properties;
  private final Environment environment;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("argocd-poll-timer"));
  private final ExecutorService pollers = Executors.newFixedThreadPool(4, daemon("argocd-poll"));
  /** Session tokens per site and URL. */
  private final Map<String, String> sessions = new ConcurrentHashMap<>();

  HttpArgoCd(Sites sites, ArgoCdProperties properties, Environment environment) {
    this.sites = sites;
    this.properties = properties;
    this.environment = environment;
    this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public List<AppStatus> list(String site, String project) {
    checkName("project", project);
    JsonNode body = call(site, "GET", "/api/v1/applications?projects=" + URLEncoder.encode(project, StandardCharsets.UTF_8),
        null, "list the applications of project " + project);
    List<AppStatus> out = new ArrayList<>();
    body.path("items").forEach(a -> out.add(status(a)));
    return out;
  }

  @Override
  public AppStatus app(String site, String name) {
    return app(site, name, false);
  }

  @Override
  public AppStatus app(String site, String name, boolean refresh) {
    checkName("application", name);
    return status(call(site, "GET", "/api/v1/applications/" + name + (refresh ? "?refresh=normal" : ""), null,
        "read application " + name));
  }

  private static final Pattern REPO_URL = Pattern.compile("https://[A-Za-z0-9.-]+(/[A-Za-z0-9._-]+)+(\\.git)?");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

  @Override
  public java.util.Optional<Revision> revision(String site, String repoUrl, String revision) {
    if (repoUrl == null || !REPO_URL.matcher(repoUrl).matches()) {
      throw new IllegalArgumentException("not a repository URL: " + repoUrl);
    }
    if (revision == null || !REVISION.matcher(revision).matches() || revision.contains("..")) {
      throw new IllegalArgumentException("not a revision (branch, tag or commit): " + revision);
    }
    String path = "/api/v1/repositories/" + java.net.URLEncoder.encode(repoUrl, java.nio.charset.StandardCharsets.UTF_8)
        + "/revisions/" + java.net.URLEncoder.encode(revision, java.nio.charset.StandardCharsets.UTF_8) + "/metadata";
    try {
      JsonNode n = call(site, "GET", path, null, "resolve revision " + revision + " of " + repoUrl);
      return java.util.Optional.of(new Revision(revision, text(n.path("author")), text(n.path("date")),
          text(n.path("message"))));
    } catch (ArgoCdException e) {
      if (e.status() == 404) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<ResourceDiff> pendingChanges(String site, String name) {
    checkName("application", name);
    JsonNode items = call(site, "GET", "/api/v1/applications/" + name + "/managed-resources", null,
        "read the managed resources of " + name).path("items");
    List<ResourceDiff> out = new java.util.ArrayList<>();
    for (JsonNode i : items) {
      String live = text(i.path("normalizedLiveState")) != null ? text(i.path("normalizedLiveState")) : text(i.path("liveState"));
      String target = text(i.path("predictedLiveState")) != null ? text(i.path("predictedLiveState")) : text(i.path("targetState"));
      boolean modified = i.path("modified").asBoolean(false) || !java.util.Objects.equals(live, target);
      if (modified) {
        out.add(new ResourceDiff(text(i.path("kind")), text(i.path("namespace")), text(i.path("name")), live, target));
      }
    }
    return out;
  }

  @Override
  public SyncStart sync(String site, String name) {
    checkName("application", name);
    ObjectNode body = json.createObjectNode();
    body.put("prune", properties.prune());
    body.put("dryRun", false);
    try {
      call(site, "POST", "/api/v1/applications/" + name + "/sync", body.toString(), "sync application " + name);
      log.info("Argo CD {}: sync of {} started", site, name);
      return SyncStart.STARTED;
    } catch (ArgoCdException e) {
      if (e.status() > 0 && e.getMessage().contains(ALREADY_RUNNING)) {
        log.info("Argo CD {}: an operation on {} is already in progress; waiting for it instead", site, name);
        return SyncStart.ALREADY_RUNNING;
      }
      throw e;
    }
  }

  @Override
  public SyncProgress progress(String site, String name, Instant startedAfter) {
    AppStatus app = app(site, name);
    // Argo CD stamps operations with second precision
    Instant since = startedAfter.truncatedTo(ChronoUnit.SECONDS);
    if (app.operationStartedAt() == null || app.operationStartedAt().isBefore(since)) {
      return new SyncProgress(SyncProgress.State.RUNNING, "no operation on " + name + " started since " + since + " yet", app);
    }
    String phase = app.operationPhase() == null ? "" : app.operationPhase();
    // Degraded is an error in any phase (a Job at its backoff limit does not heal by waiting); the
    // other health states are never required: telescope apps with running Jobs stay Progressing
    if ("Degraded".equals(app.health()) && !phase.equals("Failed") && !phase.equals("Error")) {
      return new SyncProgress(SyncProgress.State.FAILED, "sync of " + name + (phase.equals("Succeeded") ? " succeeded"
          : " is " + phase) + " but the app is Degraded: " + app.message(), app);
    }
    return switch (phase) {
      case "Failed", "Error" -> new SyncProgress(SyncProgress.State.FAILED,
          "sync of " + name + " ended " + phase + ": " + app.message(), app);
      case "Succeeded" -> {
        if ("Synced".equals(app.syncStatus())) {
          yield new SyncProgress(SyncProgress.State.SUCCEEDED, "sync of " + name + " succeeded (health " + app.health()
              + ")", app);
        }
        yield new SyncProgress(SyncProgress.State.RUNNING, "operation on " + name + " succeeded but the app is "
            + app.syncStatus(), app);
      }
      default -> new SyncProgress(SyncProgress.State.RUNNING, "operation on " + name + " is " + phase
          + (app.message() == null ? "" : ": " + app.message()), app);
    };
  }

  /** Polls on the client's own threads: a hanging request must not stall the common pool. */
  @Override
  public CompletableFuture<SyncProgress> awaitSync(String site, String name, Instant startedAfter, Duration deadline,
      Duration interval) {
    checkName("application", name);
    return SyncPolling.await(() -> progress(site, name, startedAfter), deadline, interval, pollers, scheduler);
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
    pollers.shutdownNow();
  }

  // ---- HTTP and credentials ----

  private JsonNode call(String siteId, String method, String path, String body, String what) {
    Site site = sites.require(siteId);
    String base = baseUrl(site);
    Credentials credentials = credentials(site);
    String token = credentials.token != null ? credentials.token : session(site, base, credentials, null);
    HttpResponse<String> response = send(site, method, base + path, body, token, what);
    if (response.statusCode() == 401) {
      if (credentials.token != null) {
        throw new ArgoCdException("Argo CD of site '" + site.id() + "' rejected the pre-issued token from environment "
            + "variable " + credentials.tokenEnv + " (HTTP 401: " + errorMessage(response) + "); it has probably expired: "
            + "issue a new one (argocd account generate-token) and restart", 401, null);
      }
      // the session token expired: log in again, once
      token = session(site, base, credentials, token);
      response = send(site, method, base + path, body, token, what);
      if (response.statusCode() == 401) {
        throw new ArgoCdException("Argo CD of site '" + site.id() + "' rejected a fresh session token of user from "
            + credentials.usernameEnv + " (HTTP 401: " + errorMessage(response) + ") trying to " + what, 401, null);
      }
    }
    if (response.statusCode() / 100 != 2) {
      throw new ArgoCdException("Argo CD of site '" + site.id() + "' could not " + what + ": HTTP " + response.statusCode()
          + ": " + errorMessage(response), response.statusCode(), null);
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new ArgoCdException("Argo CD of site '" + site.id() + "' answered " + what + " with something that is not "
          + "JSON: " + abbreviate(response.body()), response.statusCode(), e);
    }
  }

  private HttpResponse<String> send(Site site, String method, String url, String body, String token, String what) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(properties.requestTimeout())
        .header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new ArgoCdException("Argo CD of site '" + site.id() + "' did not answer within "
          + properties.requestTimeout() + " (trying to " + what + " at " + url + ")", 0, e);
    } catch (IOException e) {
      throw new ArgoCdException("cannot reach Argo CD of site '" + site.id() + "' at " + url + " (trying to " + what
          + "): " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ArgoCdException("interrupted while trying to " + what + " at site '" + site.id() + "'", 0, e);
    }
  }

  /** A session token: the cached one, or a new login when there is none or {@code rejected} is the cached one. */
  private String session(Site site, String base, Credentials c, String rejected) {
    String key = site.id() + " " + base;
    synchronized (sessions) {
      String current = sessions.get(key);
      if (current != null && !current.equals(rejected)) {
        return current;
      }
      ObjectNode body = json.createObjectNode();
      body.put("username", c.username);
      body.put("password", c.password);
      HttpResponse<String> r = send(site, "POST", base + "/api/v1/session", body.toString(), null, "log in");
      if (r.statusCode() / 100 != 2) {
        throw new ArgoCdException("Argo CD login at site '" + site.id() + "' with the user from environment variable "
            + c.usernameEnv + " failed: HTTP " + r.statusCode() + ": " + errorMessage(r), r.statusCode(), null);
      }
      String token;
      try {
        token = json.readTree(r.body()).path("token").asText(null);
      } catch (IOException e) {
        token = null;
      }
      if (token == null || token.isBlank()) {
        throw new ArgoCdException("Argo CD login at site '" + site.id() + "' answered without a token", r.statusCode(), null);
      }
      sessions.put(key, token);
      log.info("Argo CD {}: logged in{}", site.id(), rejected != null ? " again (the session token had expired)" : "");
      return token;
    }
  }

  private record Credentials(String token, String tokenEnv, String username, String password, String usernameEnv) {}

  private Credentials credentials(Site site) {
    Site.Credentials c = site.credentials();
    String tokenEnv = c == null ? null : c.argocdTokenEnv();
    String userEnv = c == null ? null : c.argocdUsernameEnv();
    String passEnv = c == null ? null : c.argocdPasswordEnv();
    String token = secret(tokenEnv);
    if (token != null) {
      return new Credentials(token, tokenEnv, null, null, null);
    }
    String user = secret(userEnv);
    String pass = secret(passEnv);
    if (user != null && pass != null) {
      return new Credentials(null, null, user, pass, userEnv);
    }
    throw new ArgoCdException("no Argo CD credentials for site '" + site.id() + "': set environment variable "
        + (tokenEnv != null ? tokenEnv + " (a pre-issued API token)" : "(none named: credentials.argocd-token-env)")
        + (userEnv != null ? " or " + userEnv + " and " + passEnv + " (a local account)" : ""), 0, null);
  }

  private String secret(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String v = environment.getProperty(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static String baseUrl(Site site) {
    String url = site.endpoints() == null ? null : site.endpoints().argocd();
    if (url == null || url.isBlank()) {
      throw new ArgoCdException("site '" + site.id() + "' has no endpoints.argocd in its site file", 0, null);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid Argo CD " + what + " name "
          + "(lower-case letters, digits, '-' and '.')");
    }
  }

  private String errorMessage(HttpResponse<String> r) {
    try {
      JsonNode n = json.readTree(r.body());
      String m = n.path("message").asText(n.path("error").asText(""));
      if (!m.isBlank()) {
        return m;
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: show the text
    }
    return abbreviate(r.body());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static AppStatus status(JsonNode a) {
    JsonNode st = a.path("status");
    JsonNode op = st.path("operationState");
    String health = text(st.path("health").path("status"));
    String message = text(op.path("message"));
    String healthMessage = text(st.path("health").path("message"));
    if ("Degraded".equals(health) && healthMessage != null) {
      message = healthMessage + (message == null ? "" : " (last operation: " + message + ")");
    }
    List<String> conditions = new ArrayList<>();
    st.path("conditions").forEach(c -> {
      if (text(c.path("type")) != null && text(c.path("type")).endsWith("Error")) {
        conditions.add(text(c.path("type")) + ": " + text(c.path("message")));
      }
    });
    if (!conditions.isEmpty()) {
      message = (message == null ? "" : message + "; ") + String.join("; ", conditions);
    }
    return new AppStatus(text(a.path("metadata").path("name")), text(a.path("spec").path("project")),
        text(st.path("sync").path("status")), health, text(op.path("phase")), message,
        instant(op.path("startedAt")), instant(op.path("finishedAt")));
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static Instant instant(JsonNode n) {
    String t = text(n);
    if (t == null || t.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
