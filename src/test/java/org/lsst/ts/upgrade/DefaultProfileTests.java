package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * With no profile chosen the application is a rehearsal: twin, control API and demo users. The
 * shared {@link RehearsalTest} context chooses no profile, so this costs no start of its own.
 */
@RehearsalTest
class DefaultProfileTests {
  @Autowired ApplicationContext context;
  @Autowired Environment environment;
  @Autowired ProcessEngine engine;
  @LocalServerPort int port;

  @Test
  void rehearsalIsTheDefaultProfile() {
    assertThat(environment.getActiveProfiles()).isEmpty();
    assertThat(environment.getDefaultProfiles()).containsExactly("rehearsal");
    assertThat(environment.acceptsProfiles(Profiles.of("rehearsal"))).isTrue();
    // its configuration applies: application-rehearsal.yaml, and the tests' overrides of it
    assertThat(environment.getProperty("logging.level.kafka")).isEqualTo("WARN");
    assertThat(environment.getProperty("upgrade.rehearsal.time-scale")).isEqualTo("0.002");
    // the twin runs ...
    assertThat(context.getBeanNamesForType(ActionLog.class)).hasSize(1);
    assertThat(BasicAuthHttp.as(port, "admin").get("/rehearsal/actions").statusCode()).isEqualTo(200);
    // ... and the demo users exist, password = user name
    var identity = engine.getIdentityService();
    for (var demo : Map.of("admin", Groups.CAMUNDA_ADMIN, "operator", Groups.OPERATORS,
        "manager", Groups.MANAGERS, "camera", Groups.CAMERA_TEAM).entrySet()) {
      assertThat(identity.createUserQuery().userId(demo.getKey()).memberOfGroup(demo.getValue()).count())
          .as(demo.getKey()).isOne();
      assertThat(identity.checkPassword(demo.getKey(), demo.getKey())).as(demo.getKey()).isTrue();
    }
  }
}
