package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.UUID;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The default persistence, an H2 file database, keeps every run across a restart, with full
 * history; and a production (non-rehearsal) profile has no twin and no demo users, only the
 * administrator whose password comes from {@code UPGRADE_ADMIN_PASSWORD} at every start. The same
 * checks as {@link PostgresStartupTests}, without needing PostgreSQL.
 */
class H2FileRestartTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ENGINE = "h2FileRestartTests";

  /** The default URL of application.yaml (tests override it with an in-memory database). */
  static String defaultDatasourceUrl() throws Exception {
    PropertySource<?> main = new YamlPropertySourceLoader().load("main", new ClassPathResource("application.yaml")).get(0);
    return (String) main.getProperty("spring.datasource.url");
  }

  static ConfigurableApplicationContext start(String url, String adminPassword) {
    // any profile but rehearsal is a production one: no twin, no demo users
    return new SpringApplicationBuilder(UpgradeOrchestratorApplication.class).profiles("production-test")
        .run("--spring.datasource.url=" + url, "--UPGRADE_ADMIN_PASSWORD=" + adminPassword, "--server.port=0",
            // a name of its own: Camunda's static engine registry is shared with the test JVM's other contexts
            "--camunda.bpm.process-engine-name=" + ENGINE,
            // the webapps keep JVM-wide static state: leave them to the shared test context
            "--camunda.bpm.webapp.enabled=false");
  }

  static int port(ConfigurableApplicationContext ctx) {
    return ((WebServerApplicationContext) ctx).getWebServer().getPort();
  }

  @Test
  void aRestartOnTheH2FileKeepsEveryRunAndAProductionProfileHasNoDemoUsers(@TempDir Path dir) throws Exception {
    String defaultUrl = defaultDatasourceUrl();
    assertThat(defaultUrl).startsWith("jdbc:h2:file:./data/");
    // the default URL with its options, in a scratch directory instead of ./data
    String url = defaultUrl.replace("./data/", dir.toAbsolutePath() + "/");
    String firstPassword = "first-" + UUID.randomUUID();
    String secondPassword = "second-" + UUID.randomUUID();

    String instanceId;
    long authorizations;
    try (ConfigurableApplicationContext ctx = start(url, firstPassword)) {
      assertThat(ctx.getEnvironment().getActiveProfiles()).containsExactly("production-test");
      try (Connection c = ctx.getBean(DataSource.class).getConnection()) {
        assertThat(c.getMetaData().getURL()).startsWith("jdbc:h2:file:" + dir.toAbsolutePath() + "/upgrade-orchestrator");
      }
      ProcessEngine engine = ctx.getBean(ProcessEngine.class);
      assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getHistoryLevel())
          .isEqualTo(HistoryLevel.HISTORY_LEVEL_FULL);
      assertThat(engine.getManagementService().getProperties()).containsEntry("historyLevel", "3");
      assertProductionSecurity(ctx, firstPassword);

      // started by the orchestrator: people start nothing past the run API (issue 13)
      instanceId = engine.getRuntimeService().startProcessInstanceByKey("FoundationFormTest",
          java.util.Map.of("note", "before the restart")).getId();
      authorizations = engine.getAuthorizationService().createAuthorizationQuery().count();
      // a rehearsal demo user left in the database must not survive a production start
      var identity = engine.getIdentityService();
      User demo = identity.newUser("operator");
      demo.setPassword("operator");
      identity.saveUser(demo);
      identity.createMembership("operator", Groups.OPERATORS);
    }
    assertThat(dir.resolve("upgrade-orchestrator.mv.db")).isNotEmptyFile();

    // the administrator's password is the environment's at every start
    try (ConfigurableApplicationContext ctx = start(url, secondPassword)) {
      ProcessEngine engine = ctx.getBean(ProcessEngine.class);
      assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instanceId).count()).isOne();
      assertThat(engine.getRuntimeService().getVariable(instanceId, "note")).isEqualTo("before the restart");
      assertThat(engine.getTaskService().createTaskQuery().processInstanceId(instanceId).count()).isOne();
      // full history: the variable's every update is kept (levels below full keep none)
      assertThat(engine.getHistoryService().createHistoricDetailQuery().processInstanceId(instanceId)
          .variableUpdates().count()).isOne();
      assertThat(engine.getAuthorizationService().createAuthorizationQuery().count()).isEqualTo(authorizations);
      assertProductionSecurity(ctx, secondPassword);

      // the run goes on where it stopped
      var admin = BasicAuthHttp.as(port(ctx), "admin", secondPassword);
      String task = engine.getTaskService().createTaskQuery().processInstanceId(instanceId).singleResult().getId();
      assertThat(admin.post("/engine-rest/task/" + task + "/complete",
          "{\"variables\":{\"cameraReady\":{\"value\":true,\"type\":\"Boolean\"}}}").statusCode()).isEqualTo(204);
      HistoricProcessInstance done = engine.getHistoryService().createHistoricProcessInstanceQuery()
          .processInstanceId(instanceId).singleResult();
      assertThat(done.getState()).isEqualTo(HistoricProcessInstance.STATE_COMPLETED);

      // last: a wrong password makes Camunda delay the user's next login
      assertThat(BasicAuthHttp.as(port(ctx), "admin", firstPassword).get("/api/sites").statusCode()).isEqualTo(401);
    }
  }

  /** No twin, no control API, no demo user; the administrator logs in with the environment's password. */
  private static void assertProductionSecurity(ConfigurableApplicationContext ctx, String adminPassword) {
    ProcessEngine engine = ctx.getBean(ProcessEngine.class);
    assertThat(ctx.getBeanNamesForType(ActionLog.class)).isEmpty();
    var identity = engine.getIdentityService();
    assertThat(identity.createGroupQuery().list()).extracting(g -> g.getId()).containsAll(Groups.ALL);
    assertThat(identity.createUserQuery().list()).extracting(User::getId).containsExactly("admin");
    assertThat(identity.createUserQuery().userId("admin").memberOfGroup(Groups.CAMUNDA_ADMIN).count()).isOne();

    int port = port(ctx);
    var admin = BasicAuthHttp.as(port, "admin", adminPassword);
    assertThat(admin.get("/api/sites").statusCode()).isEqualTo(200);
    assertThat(admin.get("/engine-rest/process-definition").statusCode()).isEqualTo(200);
    assertThat(admin.get("/engine-rest/engine/" + ENGINE + "/process-definition").statusCode()).isEqualTo(200);
    // the twin's control API does not exist outside rehearsal
    assertThat(admin.get("/rehearsal/actions").statusCode()).isEqualTo(404);
    assertThat(admin.get("/rehearsal/faults").statusCode()).isEqualTo(404);
    // the demo credentials open nothing
    for (String user : new String[] {"operator", "manager", "camera"}) {
      assertThat(BasicAuthHttp.as(port, user).get("/engine-rest/task").statusCode()).as(user).isEqualTo(401);
    }
  }
}
