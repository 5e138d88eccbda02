package org.lsst.ts.upgrade.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.lsst.ts.upgrade.security.Groups;

/**
 * The people of a run against an orchestrator in a production profile, where the in-JVM
 * {@link Autopilot} does not exist: from outside, over the engine's REST API, it completes every
 * open task as a user of the task's candidate group ({@value #OPERATOR} for {@code operators},
 * {@value #CAMERA} for {@code camera-team}; created once through the engine's REST API as the
 * administrator, as a site's administrator would in Camunda Admin) with the rehearsal answer sheet
 * ({@link Autopilot#answerSheet()}), and does on the twin what those people do before answering
 * (as {@code AutopilotPeople}): the camera team starts the camera services on the mcm hosts
 * (through the twin's control API). It outlives the orchestrator's kills: a call that fails is
 * tried again at the next poll.
 */
final class PeopleStandIn implements AutoCloseable {
  static final String OPERATOR = "chaosoperator";
  static final String CAMERA = "chaoscamera";
  private static final String PASSWORD = "chaos-people-password";

  private final Jvms jvms;
  private final String api;
  private final Jvms.Twin twin;
  private final Sites sites;
  private final Map<String, Map<String, Object>> sheet = Autopilot.answerSheet();
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private final Set<String> cameraServicesStarted = ConcurrentHashMap.newKeySet();
  private final AtomicLong completed = new AtomicLong();
  private final Map<String, Integer> byForm = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String lastError;

  PeopleStandIn(Jvms jvms, String api, Jvms.Twin twin, Sites sites) {
    this.jvms = jvms;
    this.api = api;
    this.twin = twin;
    this.sites = sites;
    thread = new Thread(this::loop, "people-stand-in");
    thread.setDaemon(true);
  }

  /** Creates the two users (idempotent: a database kept over restarts has them already), then polls. */
  PeopleStandIn start() throws Exception {
    ensureUser(OPERATOR, Groups.OPERATORS);
    ensureUser(CAMERA, Groups.CAMERA_TEAM);
    thread.start();
    return this;
  }

  private void ensureUser(String id, String group) throws Exception {
    if (jvms.get(api + "/engine-rest/user/" + id + "/profile", Jvms.ADMIN).statusCode() == 200) {
      return;
    }
    HttpResponse<String> r = jvms.post(api + "/engine-rest/user/create", Jvms.ADMIN, """
        {"profile":{"id":"%s","firstName":"%s","lastName":"stand-in","email":"%s@example.org"},
         "credentials":{"password":"%s"}}""".formatted(id, id, id, PASSWORD));
    check(r, 204, "create user " + id);
    check(jvms.put(api + "/engine-rest/group/" + group + "/members/" + id, Jvms.ADMIN), 204, "add " + id + " to " + group);
  }

  private static void check(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  long completed() {
    return completed.get();
  }

  /** Tasks completed per form id. */
  Map<String, Integer> byForm() {
    return Map.copyOf(byForm);
  }

  String lastError() {
    return lastError;
  }

  private void loop() {
    while (running) {
      try {
        JsonNode tasks = Jvms.JSON.readTree(jvms.get(api + "/engine-rest/task", Jvms.ADMIN).body());
        for (JsonNode t : tasks) {
          if (!done.contains(t.get("id").asText())) {
            complete(t);
          }
        }
      } catch (Exception e) {
        // the orchestrator is down (killed, restarting) or busy: the next poll tries again
        lastError = e.toString();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void complete(JsonNode t) throws Exception {
    String id = t.get("id").asText();
    String formId = t.path("camundaFormRef").path("key").asText(null);
    String user = OPERATOR;
    for (JsonNode link : Jvms.JSON.readTree(jvms.get(api + "/engine-rest/task/" + id + "/identity-links?type=candidate",
        Jvms.ADMIN).body())) {
      if (Groups.CAMERA_TEAM.equals(link.path("groupId").asText())) {
        user = CAMERA;
      }
    }
    String who = user + ":" + PASSWORD;
    Map<String, Object> answers = formId == null ? Map.of() : sheet.getOrDefault(formId, Map.of());
    if ("start-camera-services".equals(formId) && Boolean.TRUE.equals(answers.get("cameraServicesStarted"))) {
      HttpResponse<String> site = jvms.get(api + "/engine-rest/task/" + id + "/variables/site", Jvms.ADMIN);
      startCameraServices(Jvms.JSON.readTree(site.body()).get("value").asText());
    }
    if (t.path("assignee").isNull() || t.path("assignee").isMissingNode()) {
      HttpResponse<String> claimed = jvms.post(api + "/engine-rest/task/" + id + "/claim", who,
          "{\"userId\":\"" + user + "\"}");
      check(claimed, 204, "claim task " + t.path("taskDefinitionKey").asText() + " as " + user);
    }
    ObjectNode variables = Jvms.JSON.createObjectNode();
    answers.forEach((k, v) -> variables.set(k, variable(v)));
    ObjectNode body = Jvms.JSON.createObjectNode();
    body.set("variables", variables);
    HttpResponse<String> r = jvms.post(api + "/engine-rest/task/" + id + "/complete", who, body.toString());
    if (r.statusCode() == 204) {
      done.add(id);
      completed.incrementAndGet();
      byForm.merge(String.valueOf(formId), 1, Integer::sum);
    } else if (r.statusCode() == 404) {
      done.add(id); // completed or gone meanwhile
    } else {
      throw new IllegalStateException("complete " + t.path("taskDefinitionKey").asText() + ": HTTP " + r.statusCode()
          + " " + r.body());
    }
  }

  private static ObjectNode variable(Object v) {
    ObjectNode n = Jvms.JSON.createObjectNode();
    if (v instanceof ObjectValue o) {
      n.put("value", Jvms.JSON.valueToTree(o.getValue()).toString());
      n.put("type", "Object");
      n.putObject("valueInfo").put("serializationDataFormat", "application/json")
          .put("objectTypeName", "java.util.ArrayList");
    } else {
      n.set("value", Jvms.JSON.valueToTree(v));
    }
    return n;
  }

  /**
   * As the camera team (and {@code AutopilotPeople}): the camera OCS bridges on the site's mcm hosts
   * started, once per site for a run (a task asked again after a restart is answered, not redone).
   */
  private void startCameraServices(String siteId) throws Exception {
    if (!cameraServicesStarted.add(siteId)) {
      return;
    }
    Site site = sites.require(siteId);
    for (Site.Host h : site.hostsWithRole(Site.HostRole.CAMERA_MCM)) {
      Set<CscId> ids = new LinkedHashSet<>(h.cscs());
      site.cscs().stream().filter(c -> h.name().equals(c.host())).forEach(c -> ids.add(c.id()));
      for (CscId c : ids) {
        HttpResponse<String> r = jvms.post(twin.control() + "/rehearsal/cscs/" + siteId + "/" + c, Jvms.TWIN,
            "{\"running\":true}");
        check(r, 200, "start " + c + " on the twin");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
