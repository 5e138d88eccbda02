package org.lsst.ts.upgrade.love;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LOVE-manager's REST API for one JVM: one token per site, reused; a 401 triggers one new login;
 * tokens are deleted (logout) on shutdown. The site's URL is read at every call.
 */
class LoveHttp {
  private static final Logger log = LoggerFactory.getLogger(LoveHttp.class);

  /** username and password for a site; never logged. */
  record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[" + username + ", ****]";
    }
  }

  private final Sites sites;
  private final LoveProperties properties;
  private final BiFunction<String, Site, Credentials> credentials;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  LoveHttp(Sites sites, LoveProperties properties, BiFunction<String, Site, Credentials> credentials) {
    this.sites = sites;
    this.properties = properties;
    this.credentials = credentials;
    this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
  }

  /** Sends a SAL command through {@code POST /manager/api/cmd/} and returns the ack string. */
  String command(String site, String csc, Integer salIndex, String cmd, Map<String, Object> params) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("csc", csc);
    body.put("salindex", salIndex == null ? 0 : salIndex);
    body.put("cmd", cmd);
    body.put("params", params == null ? Map.of() : params);
    String what = cmd + " to " + csc + (salIndex == null || salIndex == 0 ? "" : ":" + salIndex);
    HttpResponse<String> r = authorized(site, "POST", "/manager/api/cmd/", body, what);
    int status = r.statusCode();
    if (status == 200) {
      JsonNode ack = parse(site, r.body(), what);
      if (ack == null || !ack.hasNonNull("ack")) {
        throw new LoveException.BadResponse(site, what + ": 200 without an 'ack' in the body: " + excerpt(r.body()));
      }
      return ack.get("ack").asText();
    }
    if (status == 403) {
      throw new LoveException.Forbidden(site, what + ": refused (403) for user '" + username(site)
          + "': " + ackOrExcerpt(r.body()));
    }
    if (status == 504) {
      throw new LoveException.CommandTimeout(site, what + ": LOVE timed out waiting for the CSC's ack (504);"
          + " the command may still have been executed");
    }
    if (status == 502 || status == 503) {
      throw unavailable(site, what, status);
    }
    throw new LoveException.CommandFailed(site, status, what + " failed: LOVE answered " + status + " "
        + ackOrExcerpt(r.body()));
  }

  /** Logs out of every site (deletes the tokens). */
  void logoutAll() {
    for (String site : tokens.keySet()) {
      String token = tokens.remove(site);
      if (token == null) {
        continue;
      }
      try {
        HttpRequest req = HttpRequest.newBuilder(uri(site, "/manager/api/logout/"))
            .timeout(properties.connectTimeout()).header("Authorization", "Token " + token).DELETE().build();
        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        log.info("Logged out of LOVE at {} ({})", site, status);
      } catch (IOException | RuntimeException e) {
        log.warn("Could not log out of LOVE at {}: {}", site, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  boolean hasToken(String site) {
    return tokens.containsKey(site);
  }

  private HttpResponse<String> authorized(String site, String method, String path, Object body, String what) {
    String token = tokens.computeIfAbsent(site, this::login);
    HttpResponse<String> r = send(site, method, path, body, token, what);
    if (r.statusCode() == 401) {
      // expired or revoked: one new login, then give up
      tokens.remove(site, token);
      token = tokens.computeIfAbsent(site, this::login);
      r = send(site, method, path, body, token, what);
      if (r.statusCode() == 401) {
        tokens.remove(site, token);
        throw new LoveException.BadCredentials(site, what + ": a fresh token was refused (401) for user '"
            + username(site) + "'");
      }
    }
    return r;
  }

  /**
   * Logs in afresh (the preflight's check of the credentials) and keeps the new token for later
   * calls; true when LOVE grants the user {@code execute_commands}.
   */
  boolean loginMayCommand(String site) {
    String[] permission = new String[1];
    String token = login(site, permission);
    String old = tokens.put(site, token);
    if (old != null && !old.equals(token)) {
      log.debug("LOVE token of {} replaced by the preflight's login", site);
    }
    return "true".equals(permission[0]);
  }

  private String login(String site) {
    return login(site, null);
  }

  private String login(String site, String[] permission) {
    Credentials c = credentials.apply(site, sites.require(site));
    Map<String, String> body = Map.of("username", c.username(), "password", c.password());
    HttpResponse<String> r = send(site, "POST", "/manager/api/get-token/", body, null, "login");
    int status = r.statusCode();
    if (status == 200) {
      JsonNode n = parse(site, r.body(), "login");
      if (n == null || !n.hasNonNull("token") || n.get("token").asText().isBlank()) {
        throw new LoveException.BadResponse(site, "login: 200 without a token");
      }
      log.info("Logged in to LOVE at {} as {}", site, c.username());
      if (permission != null) {
        permission[0] = n.path("permissions").path("execute_commands").asText("false");
      }
      return n.get("token").asText();
    }
    if (status == 400) {
      throw new LoveException.BadCredentials(site, "login refused (400) for user '" + c.username()
          + "': check the username and password in the environment variables named in the site file");
    }
    if (status == 502 || status == 503) {
      throw unavailable(site, "login", status);
    }
    throw new LoveException.CommandFailed(site, status, "login: LOVE answered " + status + " " + excerpt(r.body()));
  }

  private HttpResponse<String> send(String site, String method, String path, Object body, String token, String what) {
    URI uri = uri(site, path);
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(properties.requestTimeout())
          .header("Accept", "application/json");
      if (token != null) {
        b.header("Authorization", "Token " + token);
      }
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new LoveException.Timeout(site, what + ": no answer from " + uri + " within "
          + properties.requestTimeout() + " (the command may or may not have been executed)", e);
    } catch (ConnectException e) {
      throw new LoveException.Unavailable(site, what + ": cannot connect to " + uri + ": " + e.getMessage() + ": "
          + WHAT_NEXT, e, true);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the request to LOVE as JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new LoveException.Unavailable(site, what + ": " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoveException.Unavailable(site, what + ": interrupted", e);
    }
  }

  /** What an operator does about an unavailable LOVE, wherever the message is read (an incident, the preflight). */
  private static final String WHAT_NEXT = "check that LOVE is up (its page in a browser, its pods in the cluster), then retry";

  /** 502/503: LOVE (or the proxy in front of it) is there but not serving; says where and what next. */
  private LoveException.Unavailable unavailable(String site, String what, int status) {
    String base = sites.require(site).endpoints().love();
    return new LoveException.Unavailable(site, what + ": LOVE is unavailable (" + status + ") at " + base + ": "
        + WHAT_NEXT, null, status == 503);
  }

  private URI uri(String site, String path) {
    String base = sites.require(site).endpoints().love();
    if (base == null || base.isBlank()) {
      throw new LoveException.Unavailable(site, "no LOVE URL (endpoints.love) in the site file", null, true);
    }
    return URI.create(base.replaceAll("/+$", "") + path);
  }

  private String username(String site) {
    try {
      return credentials.apply(site, sites.require(site)).username();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private JsonNode parse(String site, String body, String what) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new LoveException.BadResponse(site, what + ": the answer is not JSON: " + excerpt(body));
    }
  }

  private String ackOrExcerpt(String body) {
    try {
      JsonNode n = json.readTree(body);
      if (n != null && n.hasNonNull("ack")) {
        return n.get("ack").asText();
      }
    } catch (IOException e) {
      // not JSON: LOVE's failures are often an HTML error page
    }
    return excerpt(body);
  }

  static String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String s = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
    return "'" + (s.length() > 200 ? s.substring(0, 200) + "..." : s) + "'";
  }
}
