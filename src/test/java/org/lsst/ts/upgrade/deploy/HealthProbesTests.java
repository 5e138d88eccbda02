package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The health groups the chart's liveness and readiness probes call: open, UP, no details. */
@RehearsalTest
class HealthProbesTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;

  @Test
  void livenessAndReadinessAnswerWithoutCredentials() throws Exception {
    for (String path : new String[] {ChartTests.LIVENESS_PATH, ChartTests.READINESS_PATH}) {
      HttpResponse<String> r = BasicAuthHttp.anonymous(port).get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("status").asText()).as(path).isEqualTo("UP");
      assertThat(body.has("components")).as(path + " shows no details").isFalse();
    }
  }
}
