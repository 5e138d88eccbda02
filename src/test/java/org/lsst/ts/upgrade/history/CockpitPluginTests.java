package org.lsst.ts.upgrade.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The run-history Cockpit plugin is served from the application's classpath and configured. */
@RehearsalTest
class CockpitPluginTests {
  private static final String SCRIPTS = "/camunda/app/cockpit/scripts/";

  @LocalServerPort int port;

  @Test
  void configJsLoadsThePluginAndThePluginIsServed() {
    var anonymous = BasicAuthHttp.anonymous(port);
    HttpResponse<String> config = anonymous.get(SCRIPTS + "config.js");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    // ours, not the webjar's commented-out default
    assertThat(config.body()).contains("customScripts: ['scripts/run-history.js']").contains("export default");

    HttpResponse<String> plugin = anonymous.get(SCRIPTS + "run-history.js");
    assertThat(plugin.statusCode()).isEqualTo(200);
    assertThat(plugin.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    assertThat(plugin.body()).contains("export default").contains("pluginPoint: 'cockpit.dashboard'")
        .contains("render:").contains("'/api/runs?'").contains("/report").contains("X-XSRF-TOKEN")
        // text only: nothing from a run is interpreted as markup
        .doesNotContain("innerHTML");
  }
}
