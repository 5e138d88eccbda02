package org.lsst.ts.upgrade.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.WebappSession;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** HTTP Basic on the APIs, open health, webapp login, and what each group may do. */
@RehearsalTest
class RestSecurityTests {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired ProcessEngine engine;
  @Autowired IdentitySetup setup;

  @Test
  void apisRequireCredentials() {
    var anonymous = BasicAuthHttp.anonymous(port);
    for (String path : new String[] {"/engine-rest/task", "/engine-rest/process-definition", "/api/sites",
        "/rehearsal/actions", "/rehearsal/faults"}) {
      HttpResponse<String> r = anonymous.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }
    // a wrong password: not on a shared demo user, as Camunda then delays that user's next login
    if (engine.getIdentityService().createUserQuery().userId("wrongpassword").count() == 0) {
      var u = engine.getIdentityService().newUser("wrongpassword");
      u.setPassword("right");
      engine.getIdentityService().saveUser(u);
    }
    assertThat(BasicAuthHttp.as(port, "wrongpassword", "wrong").get("/api/sites").statusCode()).isEqualTo(401);
    assertThat(BasicAuthHttp.as(port, "nobody", "nobody").get("/engine-rest/task").statusCode()).isEqualTo(401);
  }

  @Test
  void apisAnswerWithCredentials() {
    var admin = BasicAuthHttp.as(port, "admin");
    for (String path : new String[] {"/engine-rest/task", "/engine-rest/process-definition", "/api/sites",
        "/rehearsal/actions", "/rehearsal/faults"}) {
      assertThat(admin.get(path).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(BasicAuthHttp.as(port, "manager").get("/api/sites").statusCode()).isEqualTo(200);
  }

  @Test
  void healthIsOpenAndShowsNoDetails() throws Exception {
    HttpResponse<String> r = BasicAuthHttp.anonymous(port).get("/actuator/health");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("status").asText()).isEqualTo("UP");
    assertThat(body.has("components")).isFalse();
    assertThat(body.has("details")).isFalse();
  }

  @Test
  void webappsRequireTheirOwnLogin() throws Exception {
    var anonymous = BasicAuthHttp.anonymous(port);
    // the single-page app itself loads (it shows the login form) ...
    assertThat(anonymous.get("/camunda/app/tasklist/default/").statusCode()).isEqualTo(200);
    // ... but its data API answers nothing without a session, and Basic credentials are no session
    assertThat(anonymous.get("/camunda/api/engine/engine/default/task").statusCode()).isEqualTo(401);
    assertThat(BasicAuthHttp.as(port, "operator").get("/camunda/api/engine/engine/default/task").statusCode())
        .isEqualTo(401);
    // "who is logged in" answers 404 when nobody is (Camunda's UserAuthenticationResource) ...
    assertThat(anonymous.get("/camunda/api/admin/auth/user/default").statusCode()).isEqualTo(404);
    assertThat(BasicAuthHttp.as(port, "operator").get("/camunda/api/admin/auth/user/default").statusCode())
        .isEqualTo(404);

    // ... and the same paths answer once the webapp's own login made a session: they exist
    var session = new WebappSession(port);
    HttpResponse<String> login = session.login("operator", "operator");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    HttpResponse<String> me = session.get("/camunda/api/admin/auth/user/default");
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(JSON.readTree(me.body()).path("userId").asText()).isEqualTo("operator");
    assertThat(session.get("/camunda/api/engine/engine/default/task").statusCode()).isEqualTo(200);
  }

  @Test
  void operatorCannotCreateUsersOrReadAuthorizations() {
    var operator = BasicAuthHttp.as(port, "operator");
    HttpResponse<String> r = operator.post("/engine-rest/user/create",
        "{\"profile\":{\"id\":\"intruder\",\"firstName\":\"I\",\"lastName\":\"N\"},\"credentials\":{\"password\":\"x\"}}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("AuthorizationException");
    assertThat(engine.getIdentityService().createUserQuery().userId("intruder").count()).isZero();
    // granting itself more rights is no better
    HttpResponse<String> grant = operator.post("/engine-rest/authorization/create",
        "{\"type\":1,\"permissions\":[\"ALL\"],\"groupId\":\"operators\",\"resourceType\":0,\"resourceId\":\"*\"}");
    assertThat(grant.statusCode()).isEqualTo(403);
  }

  @Test
  void startupSetupIsIdempotent() {
    long authorizations = engine.getAuthorizationService().createAuthorizationQuery().count();
    long users = engine.getIdentityService().createUserQuery().count();
    setup.apply(engine);
    setup.apply(engine);
    assertThat(engine.getAuthorizationService().createAuthorizationQuery().count()).isEqualTo(authorizations);
    assertThat(engine.getIdentityService().createUserQuery().count()).isEqualTo(users);
    assertThat(engine.getIdentityService().createGroupQuery().groupIdIn(Groups.ALL.toArray(String[]::new)).count())
        .isEqualTo(Groups.ALL.size());
    for (var demo : IdentitySetup.DEMO_USERS.entrySet()) {
      assertThat(engine.getIdentityService().createUserQuery().userId(demo.getKey()).memberOfGroup(demo.getValue()).count())
          .as(demo.getKey()).isOne();
    }
  }
}
