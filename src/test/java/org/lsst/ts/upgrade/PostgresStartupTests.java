package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application in the {@code postgres} profile (a production profile: no twin, no demo users)
 * on the local PostgreSQL, started twice on the same database: the second start must find every
 * group, authorization and run of the first in place. Each run uses a scratch database on that
 * server (created from {@code test}, dropped afterwards) so parallel builds do not collide.
 */
@RequiresPostgres
class PostgresStartupTests {
  static final String SERVER = "jdbc:postgresql://" + RequiresPostgres.HOST + ":" + RequiresPostgres.PORT + "/";
  static final String DATABASE = "upgrade_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  static final String ADMIN_PASSWORD = "pg-" + UUID.randomUUID();

  @BeforeAll
  static void createDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "")) {
      c.createStatement().execute("CREATE DATABASE " + DATABASE);
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "")) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }
  }

  static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(UpgradeOrchestratorApplication.class)
        .profiles("postgres")
        .run("--UPGRADE_DB_URL=" + SERVER + DATABASE, "--UPGRADE_DB_USER=postgres", "--UPGRADE_DB_PASSWORD=",
            "--upgrade.security.admin-password=" + ADMIN_PASSWORD, "--server.port=0",
            // a name of its own: Camunda's static engine registry is shared with the test JVM's other contexts
            "--camunda.bpm.process-engine-name=postgresStartupTests",
            // the webapps keep JVM-wide static state: leave them to the shared test context
            "--camunda.bpm.webapp.enabled=false");
  }

  static int port(ConfigurableApplicationContext ctx) {
    return ((WebServerApplicationContext) ctx).getWebServer().getPort();
  }

  @Test
  void startsOnPostgresAndRestartsIdempotently() throws Exception {
    String instanceId;
    long authorizations;
    try (ConfigurableApplicationContext ctx = start()) {
      ProcessEngine engine = ctx.getBean(ProcessEngine.class);
      var config = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
      assertThat(config.getDatabaseType()).isEqualTo("postgres");
      try (Connection c = ctx.getBean(javax.sql.DataSource.class).getConnection()) {
        assertThat(c.getMetaData().getURL()).isEqualTo(SERVER + DATABASE);
      }
      assertThat(ctx.getEnvironment().getActiveProfiles()).containsExactly("postgres");

      var identity = engine.getIdentityService();
      assertThat(identity.createGroupQuery().list()).extracting(g -> g.getId()).containsAll(Groups.ALL);
      assertThat(identity.createUserQuery().list()).extracting(User::getId).containsExactly("admin");
      assertThat(identity.checkPassword("admin", ADMIN_PASSWORD)).isTrue();

      var admin = BasicAuthHttp.as(port(ctx), "admin", ADMIN_PASSWORD);
      assertThat(admin.get("/api/sites").statusCode()).isEqualTo(200);
      assertThat(admin.get("/engine-rest/engine/postgresStartupTests/process-definition").statusCode()).isEqualTo(200);
      // the twin and its control API do not exist outside rehearsal
      assertThat(admin.get("/rehearsal/actions").statusCode()).isEqualTo(404);
      assertThat(ctx.getBeanNamesForType(org.lsst.ts.upgrade.rehearsal.ActionLog.class)).isEmpty();

      instanceId = engine.getRuntimeService().startProcessInstanceByKey("FoundationFormTest").getId();
      authorizations = engine.getAuthorizationService().createAuthorizationQuery().count();
      // a rehearsal demo user left in the database must not survive a production start
      User demo = identity.newUser("operator");
      demo.setPassword("operator");
      identity.saveUser(demo);
    }

    try (ConfigurableApplicationContext ctx = start()) {
      ProcessEngine engine = ctx.getBean(ProcessEngine.class);
      assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instanceId).count()).isOne();
      assertThat(engine.getTaskService().createTaskQuery().processInstanceId(instanceId).count()).isOne();
      assertThat(engine.getAuthorizationService().createAuthorizationQuery().count()).isEqualTo(authorizations);
      assertThat(engine.getIdentityService().createUserQuery().list()).extracting(User::getId).containsExactly("admin");
      assertThat(BasicAuthHttp.as(port(ctx), "admin", ADMIN_PASSWORD).get("/api/sites").statusCode()).isEqualTo(200);
      assertThat(BasicAuthHttp.as(port(ctx), "admin", "admin").get("/api/sites").statusCode()).isEqualTo(401);
    }
  }
}
