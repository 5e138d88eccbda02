package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A browser-like client of the Camunda webapps for whole-application tests: cookies (session, CSRF
 * token), the CSRF token of the latest response, and the webapps' own login form.
 */
public final class WebappSession {
  private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private String csrfToken;

  public WebappSession(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** The CSRF token the webapps handed out last (response header {@code X-XSRF-TOKEN}). */
  public String csrfToken() {
    return csrfToken;
  }

  public HttpResponse<String> get(String path) throws Exception {
    return get(path, Map.of());
  }

  /** A GET with the session's cookies and these extra headers. */
  public HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json").GET();
    headers.forEach(b::header);
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    r.headers().firstValue("X-XSRF-TOKEN").ifPresent(t -> csrfToken = t);
    return r;
  }

  /** A JSON POST with the session's cookies and these extra headers. */
  public HttpResponse<String> post(String path, String json, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The Tasklist's login form. */
  public HttpResponse<String> login(String user, String password) throws Exception {
    return login(user, password, "tasklist");
  }

  /** The login form of a webapp ({@code tasklist}, {@code cockpit}): a page load hands out the CSRF token the POST must carry. */
  public HttpResponse<String> login(String user, String password, String app) throws Exception {
    get("/camunda/app/" + app + "/default/");
    assertThat(csrfToken).as("X-XSRF-TOKEN of the page load").isNotBlank();
    String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return client.send(HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default/login/" + app))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .header("X-XSRF-TOKEN", csrfToken).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
