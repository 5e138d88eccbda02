package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry over real HTTP on loopback: {@code GET/PUT /config},
 * {@code POST /subjects/{subject}/versions}, {@code GET /subjects}, {@code GET /schemas/ids/{id}}.
 * Each site has its own registry under {@code /<site>} (its base URL is
 * {@code http://127.0.0.1:<port>/<site>}), so changing one site's compatibility leaves the others
 * alone. Usable without Spring (tests); {@link TwinKafka} runs it in the rehearsal profile.
 */
public class TwinSchemaRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TwinSchemaRegistry.class);
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
      "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");
  private static final Pattern PATH = Pattern.compile(
      "/([a-z0-9-]+)(/config|/subjects|/subjects/([^/]+)/versions|/schemas/ids/([0-9]{1,10}))/?");

  /** Hooks into the rest of the twin (action log, latency, faults); no-ops when standalone. */
  public interface Hooks {
    /** Called before answering; returns an HTTP status to fail with (e.g. 500), or 0. */
    default int before(String site, String method, String path) {
      return 0;
    }

    default void after(String site, String method, String path, int status, Map<String, Object> params) {}
  }

  private final class SiteRegistry {
    volatile String compatibility = "FORWARD";
    final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();
  }

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final Hooks hooks;
  private final Map<String, SiteRegistry> sites = new ConcurrentHashMap<>();
  // schema ids are global to the registry, as in Confluent's (one id per distinct schema text)
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger();

  public TwinSchemaRegistry(Hooks hooks) {
    this.hooks = hooks == null ? new Hooks() {} : hooks;
    try {
      server = TwinHttp.loopback(0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind the twin schema registry: " + e.getMessage(), e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "twin-schema-registry");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
    log.info("Twin schema registry listening on {}", baseUrl());
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The registry URL of one site: {@code <baseUrl>/<site>}. */
  public String url(String site) {
    return baseUrl() + "/" + site;
  }

  /** In-process registration (the twin's own producers): the id of the schema under the subject. */
  public int register(String site, String subject, String schemaJson) {
    String canonical = new Schema.Parser().parse(schemaJson).toString();
    // computeIfAbsent runs at most once per schema text, but concurrently for different texts:
    // the counter, not the map size, makes their ids distinct
    int id = ids.computeIfAbsent(canonical, k -> {
      int n = nextId.incrementAndGet();
      schemas.put(n, k);
      return n;
    });
    List<Integer> versions = site(site).subjects.computeIfAbsent(subject, k -> new ArrayList<>());
    synchronized (versions) {
      if (!versions.contains(id)) {
        versions.add(id);
      }
    }
    return id;
  }

  /** The schema text registered under this id, or null. */
  String schema(int id) {
    return schemas.get(id);
  }

  /** The site's global compatibility level. */
  public String compatibility(String site) {
    return site(site).compatibility;
  }

  public void setCompatibility(String site, String level) {
    site(site).compatibility = level;
  }

  private SiteRegistry site(String site) {
    return sites.computeIfAbsent(site, k -> new SiteRegistry());
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String rawPath = ex.getRequestURI().getRawPath();
    Matcher m = PATH.matcher(rawPath);
    try (ex) {
      if (!m.matches()) {
        send(ex, 404, error(404, "Not found: " + rawPath));
        return;
      }
      String site = m.group(1);
      String what = m.group(2);
      Map<String, Object> params = new LinkedHashMap<>();
      int fail = hooks.before(site, method, rawPath);
      if (fail != 0) {
        send(ex, fail, error(fail * 100 + 1, "injected fault"));
        hooks.after(site, method, rawPath, fail, params);
        return;
      }
      int status;
      Object body;
      SiteRegistry reg = site(site);
      if (what.startsWith("/config")) {
        if (method.equals("GET")) {
          status = 200;
          body = Map.of("compatibilityLevel", reg.compatibility);
        } else if (method.equals("PUT")) {
          JsonNode req = readJson(ex);
          String level = req == null || !req.hasNonNull("compatibility") ? null : req.get("compatibility").asText();
          params.put("compatibility", level);
          if (level == null || !LEVELS.contains(level)) {
            status = 422;
            body = error(42203, "Invalid compatibility level " + level + "; expected one of " + LEVELS);
          } else {
            reg.compatibility = level;
            status = 200;
            body = Map.of("compatibility", level);
          }
        } else {
          status = 405;
          body = error(405, "Method not allowed");
        }
      } else if (what.equals("/subjects") || what.equals("/subjects/")) {
        status = 200;
        body = reg.subjects.keySet().stream().sorted().toList();
      } else if (m.group(3) != null) {
        String subject = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        params.put("subject", subject);
        if (method.equals("POST")) {
          JsonNode req = readJson(ex);
          if (req == null || !req.hasNonNull("schema")) {
            status = 422;
            body = error(42201, "Request body must be {\"schema\": \"<schema JSON>\"}");
          } else {
            try {
              int id = register(site, subject, req.get("schema").asText());
              params.put("id", id);
              status = 200;
              body = Map.of("id", id);
            } catch (SchemaParseException e) {
              status = 422;
              body = error(42201, "Invalid schema: " + e.getMessage());
            }
          }
        } else if (method.equals("GET")) {
          List<Integer> versions = reg.subjects.get(subject);
          if (versions == null) {
            status = 404;
            body = error(40401, "Subject '" + subject + "' not found.");
          } else {
            status = 200;
            synchronized (versions) {
              List<Integer> v = new ArrayList<>();
              for (int i = 1; i <= versions.size(); i++) {
                v.add(i);
              }
              body = v;
            }
          }
        } else {
          status = 405;
          body = error(405, "Method not allowed");
        }
      } else {
        int id = Integer.parseInt(m.group(4));
        params.put("id", id);
        String schema = schema(id);
        if (schema == null) {
          status = 404;
          body = error(40403, "Schema " + id + " not found");
        } else {
          status = 200;
          body = Map.of("schema", schema);
        }
      }
      send(ex, status, body);
      hooks.after(site, method, rawPath, status, params);
    } catch (RuntimeException e) {
      log.warn("twin schema registry failed on {} {}", method, rawPath, e);
    }
  }

  private JsonNode readJson(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readAllBytes();
      return b.length == 0 ? null : json.readTree(b);
    } catch (IOException e) {
      return null;
    }
  }

  private static Map<String, Object> error(int code, String message) {
    return Map.of("error_code", code, "message", message);
  }

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] b = json.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

}
