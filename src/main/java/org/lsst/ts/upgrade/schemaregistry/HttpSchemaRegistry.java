package org.lsst.ts.upgrade.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * The Confluent REST API of a site's schema registry ({@code endpoints.schema-registry}, read at
 * call time). Schemas by id are cached per registry URL: an id never changes its schema.
 */
@Component
public class HttpSchemaRegistry implements SchemaRegistry {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
      "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

  private final Sites sites;
  private final SchemaRegistryProperties properties;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, String> schemas = new ConcurrentHashMap<>();

  public HttpSchemaRegistry(Sites sites, SchemaRegistryProperties properties) {
    this.sites = sites;
    this.properties = properties;
    this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
  }

  @Override
  public String compatibility(String site) {
    JsonNode body = call(site, "GET", "/config", null);
    return text(site, "/config", body, "compatibilityLevel");
  }

  @Override
  public String setCompatibility(String site, String level) {
    String l = level == null ? "" : level.trim().toUpperCase(java.util.Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new IllegalArgumentException("'" + level + "' is not a compatibility level: expected one of "
          + new java.util.TreeSet<>(LEVELS));
    }
    JsonNode body = call(site, "PUT", "/config", "{\"compatibility\": \"" + l + "\"}");
    return text(site, "/config", body, "compatibility");
  }

  @Override
  public String schemaById(String site, int id) {
    String base = baseUrl(site);
    String cached = schemas.get(base + "#" + id);
    if (cached != null) {
      return cached;
    }
    JsonNode body = call(site, "GET", "/schemas/ids/" + id, null);
    String schema = text(site, "/schemas/ids/" + id, body, "schema");
    schemas.put(base + "#" + id, schema);
    return schema;
  }

  private String baseUrl(String site) {
    String url = sites.require(site).endpoints().schemaRegistry();
    if (url == null || url.isBlank()) {
      throw new SchemaRegistryException("site '" + site + "' has no endpoints.schema-registry", 0, null);
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private JsonNode call(String site, String method, String path, String body) {
    String url = baseUrl(site) + path;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(properties.requestTimeout())
        .header("Accept", CONTENT_TYPE + ", application/json");
    if (body != null) {
      b.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry of " + site + " (" + method + " " + url
          + ") unreachable: " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while calling " + method + " " + url, 0, e);
    }
    if (r.statusCode() != 200) {
      String message = r.body();
      try {
        JsonNode err = json.readTree(r.body());
        if (err != null && err.hasNonNull("message")) {
          message = err.get("message").asText();
        }
      } catch (IOException ignored) {
        // not JSON: keep the raw body
      }
      throw new SchemaRegistryException("schema registry of " + site + " answered " + r.statusCode() + " to "
          + method + " " + url + ": " + abbreviate(message), r.statusCode(), null);
    }
    try {
      return json.readTree(r.body());
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry of " + site + " answered non-JSON to " + method + " "
          + url + ": " + abbreviate(r.body()), 0, e);
    }
  }

  private static String text(String site, String path, JsonNode body, String field) {
    if (body == null || !body.hasNonNull(field)) {
      throw new SchemaRegistryException("schema registry of " + site + ": " + path + " answered without '"
          + field + "': " + abbreviate(String.valueOf(body)), 0, null);
    }
    return body.get(field).asText();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
