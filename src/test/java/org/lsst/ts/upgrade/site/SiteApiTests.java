package org.lsst.ts.upgrade.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@RehearsalTest
class SiteApiTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;

  @Test
  void listsTheSites() throws Exception {
    HttpResponse<String> r = BasicAuthHttp.as(port, "operator").get("/api/sites");
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    JSON.readTree(r.body()).forEach(s -> ids.add(s.path("id").asText()));
    assertThat(ids).containsExactly("bts", "summit", "tts");
  }

  @Test
  void returnsOneSite() throws Exception {
    HttpResponse<String> r = BasicAuthHttp.as(port, "operator").get("/api/sites/tts");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode site = JSON.readTree(r.body());
    assertThat(site.path("id").asText()).isEqualTo("tts");
    assertThat(site.path("displayName").asText()).isEqualTo("Tucson Test Stand");
    assertThat(site.path("cscs").isArray()).isTrue();
    assertThat(site.path("cscs").get(0).path("id").isTextual()).isTrue();
    // credentials are names of environment variables, never values
    assertThat(site.path("credentials").path("lovePasswordEnv").asText()).matches("[A-Z_]+");
  }

  @Test
  void anUnknownSiteIs404WithAJsonBody() throws Exception {
    HttpResponse<String> r = BasicAuthHttp.as(port, "operator").get("/api/sites/mars");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asInt()).isEqualTo(404);
    assertThat(body.path("error").asText()).isEqualTo("Not Found");
    assertThat(body.path("message").asText()).contains("unknown site 'mars'").contains("summit");
  }
}
