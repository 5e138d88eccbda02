package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The twin's schema registry on its own, over its real HTTP API. */
class TwinSchemaRegistryTests {
  static final String SITE = "tts";
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  private static Schema schema(int n) {
    return SchemaBuilder.record("Concurrent" + n).namespace("lsst.sal.Test").fields()
        .requiredLong("private_sndStamp").requiredInt("value" + n).endRecord();
  }

  private JsonNode get(String url) throws Exception {
    var r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return json.readTree(r.body());
  }

  @Test
  void concurrentRegistrationsOfDistinctSchemasGetDistinctIds() throws Exception {
    int threads = 8;
    int perThread = 500;
    try (TwinSchemaRegistry registry = new TwinSchemaRegistry(null)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Map<Integer, Integer>>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t * perThread;
          done.add(pool.submit(() -> {
            go.await();
            Map<Integer, Integer> ids = new HashMap<>();
            for (int n = first; n < first + perThread; n++) {
              // every thread also registers schema 0: the same schema must keep its one id
              registry.register(SITE, "shared-value", schema(0).toString());
              ids.put(n, registry.register(SITE, "s" + n + "-value", schema(n).toString()));
            }
            return ids;
          }));
        }
        go.countDown();
        Map<Integer, Integer> idOf = new HashMap<>();
        for (var f : done) {
          idOf.putAll(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(idOf).hasSize(threads * perThread);
        assertThat(List.copyOf(idOf.values())).doesNotHaveDuplicates();
        assertThat(registry.register(SITE, "again-value", schema(0).toString())).isEqualTo(idOf.get(0));
        for (var e : idOf.entrySet()) {
          assertThat(new Schema.Parser().parse(registry.schema(e.getValue()))).as("id " + e.getValue())
              .isEqualTo(schema(e.getKey()));
        }
        // and over HTTP, for the first and last schema of each thread (each request costs tens of ms)
        for (int t = 0; t < threads; t++) {
          for (int n : List.of(t * perThread, (t + 1) * perThread - 1)) {
            String text = get(registry.url(SITE) + "/schemas/ids/" + idOf.get(n)).get("schema").asText();
            assertThat(new Schema.Parser().parse(text)).as("id " + idOf.get(n)).isEqualTo(schema(n));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aSchemaPostedOverHttpIsReadBackByIdAndItsSubjectListed() throws Exception {
    try (TwinSchemaRegistry registry = new TwinSchemaRegistry(null)) {
      String subject = "lsst.tts.Test.logevent_posted-value";
      Schema schema = schema(7);
      String body = json.writeValueAsString(Map.of("schema", schema.toString()));
      var post = http.send(HttpRequest.newBuilder(URI.create(registry.url(SITE) + "/subjects/" + subject + "/versions"))
          .header("Content-Type", TwinSchemaRegistry.CONTENT_TYPE)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(200);
      assertThat(post.headers().firstValue("Content-Type")).hasValue(TwinSchemaRegistry.CONTENT_TYPE);
      int id = json.readTree(post.body()).get("id").asInt();
      assertThat(id).isPositive();

      String text = get(registry.url(SITE) + "/schemas/ids/" + id).get("schema").asText();
      assertThat(new Schema.Parser().parse(text)).isEqualTo(schema);
      assertThat(get(registry.url(SITE) + "/subjects")).extracting(JsonNode::asText).containsExactly(subject);
      // the subject is the site's: another site's registry does not list it
      assertThat(get(registry.url("bts") + "/subjects")).isEmpty();

      var bad = http.send(HttpRequest.newBuilder(URI.create(registry.url(SITE) + "/subjects/" + subject + "/versions"))
          .header("Content-Type", TwinSchemaRegistry.CONTENT_TYPE)
          .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"not avro\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(422);
    }
  }
}
