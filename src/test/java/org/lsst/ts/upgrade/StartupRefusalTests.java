package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

/** Configurations the application must refuse to start with, saying why in one clear message. */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalTests {

  static SpringApplicationBuilder app(String profile) {
    // the webapps keep JVM-wide static state: leave them to the shared test context
    return new SpringApplicationBuilder(UpgradeOrchestratorApplication.class).profiles(profile)
        .properties("camunda.bpm.webapp.enabled=false");
  }

  @Test
  void aProductionProfileWithoutAdminPasswordRefusesToStart(CapturedOutput output) {
    assertThatThrownBy(() -> app("postgres").run("--upgrade.security.admin-password=", "--server.port=0",
        "--spring.datasource.url=jdbc:h2:mem:refusal;DB_CLOSE_DELAY=-1", "--spring.datasource.driver-class-name=org.h2.Driver",
        "--camunda.bpm.process-engine-name=startupRefusalTests"))
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
            .hasMessageContaining("UPGRADE_ADMIN_PASSWORD is not set")
            .hasMessageContaining("active profiles: postgres"));
    assertThat(output).contains("APPLICATION FAILED TO START").contains("Set UPGRADE_ADMIN_PASSWORD");
  }

  @Test
  void anInvalidSiteFileRefusesToStart(@TempDir Path dir, CapturedOutput output) throws Exception {
    Files.writeString(dir.resolve("lab.yaml"), org.lsst.ts.upgrade.site.SiteFileValidationTestsAccess.VALID
        .replace("{id: ATDome,", "{id: \"AT Dome\","));
    assertThatThrownBy(() -> app("production-test").run("--upgrade.security.admin-password=x", "--server.port=0",
        "--upgrade.sites-dir=" + dir, "--camunda.bpm.process-engine-name=startupRefusalTests"))
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
            .hasMessageContaining("invalid site file " + dir.resolve("lab.yaml"))
            .hasMessageContaining("cscs[0].id: 'AT Dome' is not a CSC id"));
    assertThat(output).contains("APPLICATION FAILED TO START").contains("cscs[0].id");
  }

  @Test
  void withoutTheBuiltinSitesAndWithoutASitesDirItRefusesToStart(CapturedOutput output) {
    // UPGRADE_BUILTINSITES=false is how the chart runs it, always with UPGRADE_SITESDIR
    assertThatThrownBy(() -> app("production-test").run("--upgrade.security.admin-password=x", "--server.port=0",
        "--upgrade.builtin-sites=false", "--camunda.bpm.process-engine-name=startupRefusalTests"))
        .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e))
            .hasMessageContaining("upgrade.sites-dir")
            .hasMessageContaining("is required when upgrade.builtin-sites is false"));
    assertThat(output).contains("APPLICATION FAILED TO START");
  }
}
