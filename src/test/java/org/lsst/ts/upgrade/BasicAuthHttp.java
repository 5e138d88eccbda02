package org.lsst.ts.upgrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A plain JDK HTTP client for whole-application tests: requests to the running application, with
 * or without HTTP Basic credentials (rehearsal demo users: password = user name).
 */
public final class BasicAuthHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String authorization;
  private final String accept;

  private BasicAuthHttp(String base, String authorization) {
    this(base, authorization, "application/json");
  }

  private BasicAuthHttp(String base, String authorization, String accept) {
    this.base = base;
    this.authorization = authorization;
    this.accept = accept;
  }

  /** The same requests accepting another media type (e.g. Prometheus's {@code text/plain}). */
  public BasicAuthHttp accepting(String mediaType) {
    return new BasicAuthHttp(base, authorization, mediaType);
  }

  /** Anonymous requests to http://127.0.0.1:{port}. */
  public static BasicAuthHttp anonymous(int port) {
    return new BasicAuthHttp("http://127.0.0.1:" + port, null);
  }

  /** Requests as a rehearsal demo user (password = user name). */
  public static BasicAuthHttp as(int port, String user) {
    return as(port, user, user);
  }

  public static BasicAuthHttp as(int port, String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new BasicAuthHttp("http://127.0.0.1:" + port, "Basic " + token);
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET());
  }

  public HttpResponse<String> post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Any method without a body (DELETE, ...). */
  public HttpResponse<String> send(String method, String path) {
    return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", accept);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
