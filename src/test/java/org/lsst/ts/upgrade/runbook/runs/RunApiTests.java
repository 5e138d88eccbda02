package org.lsst.ts.upgrade.runbook.runs;

import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** {@code /api/runs} on the running application: 400 per field, 403, 201, 409, GET. */
@RehearsalTest
class RunApiTests {
  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

  @Autowired TestRestTemplate rest;
  @Autowired RuntimeService runtime;
  @Autowired org.camunda.bpm.engine.HistoryService history;
  @Autowired org.lsst.ts.upgrade.site.Sites sites;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinReset reset;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinCscs twinCscs;
  @Autowired org.lsst.ts.upgrade.csc.CscStates cscStates;

  @Autowired org.lsst.ts.upgrade.rehearsal.Autopilot autopilot;
  @Autowired org.lsst.ts.upgrade.rehearsal.ActionLog actions;

  /** Runs a test started: cancelled after it, whatever happened, so the next test finds its site free. */
  private final List<String> started = new java.util.ArrayList<>();

  @AfterEach
  void cancelLeftovers() {
    org.lsst.ts.upgrade.TestRuns.cancelLeftovers(runtime, started, "tts");
  }

  private void cancel(String pid) {
    org.lsst.ts.upgrade.TestRuns.cancel(runtime, pid);
  }

  private ResponseEntity<Map<String, Object>> post(String user, Map<String, Object> body) {
    return rest.withBasicAuth(user, user).exchange("/api/runs", HttpMethod.POST, new HttpEntity<>(body), JSON);
  }

  private Map<String, Object> get(String runId) {
    ResponseEntity<Map<String, Object>> r = rest.withBasicAuth("operator", "operator")
        .exchange("/api/runs/" + runId, HttpMethod.GET, null, JSON);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    return r.getBody();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> fields(ResponseEntity<Map<String, Object>> r) {
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    return (Map<String, String>) r.getBody().get("fields");
  }

  @Test
  void badInputIsA400NamingEveryBadField() {
    assertThat(fields(post("operator", Map.of("process", "nope", "site", "atlantis"))))
        .containsOnlyKeys("process", "site");
    Map<String, String> f = fields(post("operator", Map.of("process", "incremental-upgrade", "site", "bts",
        "revision", "Revision 2", "cscs", List.of("ATDome", "Nothing:7"), "breakingSchemaChange", true,
        "telescopes", List.of("comcam"))));
    assertThat(f).containsOnlyKeys("cycle", "cscs[1]", "breakingSchemaChange", "telescopes[0]");
    assertThat(f.get("cscs[1]")).contains("Nothing:7");
    assertThat(f.get("breakingSchemaChange")).contains("must not break schema compatibility");
    assertThat(f.get("telescopes[0]")).contains("comcam");
    assertThat(fields(post("operator", Map.of("process", "full-upgrade", "site", "summit", "cycle", "Cycle 40",
        "breakingSchemaChange", false, "phalanxRef", "main", "dockerComposeOpsBranch", "x;reboot",
        "loveIntegrationToolsBranch", "cycle40")))).containsOnlyKeys("dockerComposeOpsBranch");
    ResponseEntity<Map<String, Object>> notJson = rest.withBasicAuth("operator", "operator").exchange("/api/runs",
        HttpMethod.POST, new HttpEntity<>("[1,2]", jsonHeaders()), JSON);
    assertThat(notJson.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
  }

  @Test
  void theIncrementalUpgradeAndTheRecoveryAreDeployedAndStart() {
    for (Map<String, Object> body : List.<Map<String, Object>>of(
        Map.of("process", "incremental-upgrade", "site", "bts", "cycle", "Cycle 40", "revision", "Revision 2",
            "cscs", List.of("ATDome", "ESS:201"), "breakingSchemaChange", false),
        Map.of("process", "os-k8s-recovery", "site", "bts"))) {
      ResponseEntity<Map<String, Object>> created = post("operator", body);
      assertThat(created.getStatusCode()).as(body.toString()).isEqualTo(HttpStatus.CREATED);
      String pid = (String) created.getBody().get("processInstanceId");
      assertThat(get((String) created.getBody().get("runId"))).containsEntry("process", body.get("process"));
      // not rehearsed here: cancelled at once so the site is free for the next start
      cancel(pid);
    }
  }

  @Test
  void aManagerMayNotStartARun() {
    ResponseEntity<Map<String, Object>> r = post("manager", Map.of("process", "minimal-testing", "site", "tts"));
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("minimal-testing").count()).isZero();
  }

  @Test
  void startsAsTheCallerReportsTheRunAndRefusesASecondRunOnTheSite() {
    ResponseEntity<Map<String, Object>> created = post("operator",
        Map.of("process", "minimal-testing", "site", "tts", "telescopes", List.of("auxtel")));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String runId = (String) created.getBody().get("runId");
    String pid = (String) created.getBody().get("processInstanceId");
    assertThat(runId).matches("tts-minimal-testing-\\d{8}-\\d{4}");
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(pid).singleResult().getBusinessKey()).isEqualTo(runId);
    assertThat(runtime.getVariable(pid, "startedBy")).isEqualTo("operator");
    assertThat(runtime.getVariable(pid, "telescopes")).isEqualTo(List.of("auxtel"));

    Map<String, Object> status = get(runId);
    assertThat(status).containsEntry("state", "ACTIVE").containsEntry("process", "minimal-testing")
        .containsEntry("site", "tts").containsEntry("startedBy", "operator").containsKey("start");
    assertThat(status.get("end")).isNull();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((List<?>) get(runId).get("activities"))
        .isNotEmpty());

    ResponseEntity<Map<String, Object>> conflict = post("admin", Map.of("process", "minimal-testing", "site", "tts"));
    assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat((String) conflict.getBody().get("message")).contains(runId).contains("operator");
    // another site is free
    assertThat(post("operator", Map.of("process", "minimal-testing", "site", "atlantis")).getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);

    // the rehearsal autopilot answers the housekeeping task; the run ends on the twin
    autopilot.setEnabled(true);
    try {
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(get(runId)).containsEntry("state", "COMPLETED"));
    } finally {
      autopilot.setEnabled(false);
    }
    Map<String, Object> done = get(runId);
    assertThat(done).containsEntry("endActivityId", MinimalTestingIds.END_MINIMAL_TESTING_PASSED).containsEntry("tasks", List.of())
        .containsEntry("incidents", List.of());
    assertThat(done.get("end")).isNotNull();
    // the seed's AuxTel tracking-only sequence on ScriptQueue:2, safe ending last
    List<String> scripts = actions.actions("tts").stream()
        .filter(a -> a.system().equals("love") && a.action().equals("script") && a.target().startsWith("tts/ScriptQueue:2/"))
        .map(a -> String.valueOf(a.params().get("path"))).toList();
    assertThat(scripts).containsSubsequence("auxtel/enable_atcs.py", "auxtel/prepare_for/onsky.py",
        "auxtel/track_target.py", "auxtel/stop_tracking.py", "auxtel/standby_atcs.py");

    // a second start in the same minute gets its own id
    ResponseEntity<Map<String, Object>> again = post("operator", Map.of("process", "minimal-testing", "site", "tts",
        "telescopes", List.of("auxtel")));
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat((String) again.getBody().get("runId")).isNotEqualTo(runId).startsWith("tts-minimal-testing-");
    autopilot.setEnabled(true);
    try {
      String second = (String) again.getBody().get("runId");
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(get(second)).containsEntry("state", "COMPLETED"));
    } finally {
      autopilot.setEnabled(false);
    }
  }

  @Test
  void anUnknownRunIsA404() {
    ResponseEntity<Map<String, Object>> r = rest.withBasicAuth("operator", "operator")
        .exchange("/api/runs/no-such-run", HttpMethod.GET, null, JSON);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat((String) r.getBody().get("message")).contains("no-such-run");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> status, String key) {
    return (List<Map<String, Object>>) status.get(key);
  }

  private static Map<String, Object> summitFullUpgrade() {
    return Map.of("process", "full-upgrade", "site", "summit", "cycle", "Cycle 40", "breakingSchemaChange", false,
        "phalanxRef", "tickets/DM-12345", "dockerComposeOpsBranch", "cycle40", "loveIntegrationToolsBranch", "cycle40");
  }

  @Test
  void aFullUpgradeOverHttpReportsItsTaskAndIncidentRefusesASecondRunAndEndsCancelled() {
    // autopilot off (the default): the run waits at its first user task, the plan to approve after
    // the preflight, before it touches any CSC of the twin
    autopilot.setEnabled(false);
    ResponseEntity<Map<String, Object>> created = post("operator", summitFullUpgrade());
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(created.getBody()).containsOnlyKeys("runId", "processInstanceId");
    String runId = (String) created.getBody().get("runId");
    String pid = (String) created.getBody().get("processInstanceId");
    started.add(pid);
    assertThat(runId).matches("summit-full-upgrade-\\d{8}-\\d{4}(-\\d+)?");
    assertThat(pid).isNotBlank();

    // the open task with its candidate group, in the preflight (a process the run called)
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(list(get(runId), "tasks"))
        .singleElement().satisfies(t -> {
          assertThat(t).containsEntry("taskDefinitionKey", "UserTask_ApprovePlan")
              .containsEntry("candidateGroups", List.of("operators"));
          assertThat(t.get("assignee")).isNull();
        }));
    String stage = (String) list(get(runId), "tasks").get(0).get("processInstanceId");
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(stage).singleResult().getRootProcessInstanceId())
        .isEqualTo(pid);
    assertThat(list(get(runId), "activities")).extracting(a -> a.get("activityId"))
        .contains("UserTask_ApprovePlan");
    assertThat(list(get(runId), "incidents")).isEmpty();

    // a second run on the site: 409 naming the active one and who started it
    ResponseEntity<Map<String, Object>> conflict = post("admin", summitFullUpgrade());
    assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat((String) conflict.getBody().get("message")).contains(runId).contains("full-upgrade").contains("operator");
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(RunProcesses.FULL_UPGRADE)
        .variableValueEquals("site", "summit").count()).isEqualTo(1);

    // an open incident with its message (raised on the waiting execution as a failing job would)
    String execution = runtime.createExecutionQuery().processInstanceId(stage).activityId("UserTask_ApprovePlan")
        .singleResult().getId();
    runtime.createIncident("failedJob", execution, "run-api-test", "LOVE answered 503: simulated by RunApiTests");
    assertThat(list(get(runId), "incidents")).singleElement().satisfies(i -> assertThat(i)
        .containsEntry("message", "LOVE answered 503: simulated by RunApiTests")
        .containsEntry("activityId", "UserTask_ApprovePlan").containsEntry("type", "failedJob")
        .containsEntry("processInstanceId", stage));

    // cancelled as from Cockpit
    cancel(pid);
    Map<String, Object> cancelled = get(runId);
    assertThat(cancelled).containsEntry("state", "CANCELLED").containsEntry("tasks", List.of())
        .containsEntry("incidents", List.of()).containsEntry("activities", List.of());
    assertThat(cancelled.get("end")).isNotNull();
    // the run is gone from the engine: the site is free again
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId).count()).isZero();
  }

  @Test
  void incrementalInputsAreCheckedOverHttpNewTopicsHostCscsAndTelescopes() {
    Map<String, String> f = fields(post("operator", Map.of("process", "incremental-upgrade", "site", "summit",
        "cycle", "Cycle 40", "revision", "Revision 2", "breakingSchemaChange", false,
        "cscs", List.of("MTMount", "ESS:201"), "newTopics", List.of("MTMount.logevent_newEvent", "ATDome.logevent_x"),
        "telescopes", List.of("maintel"))));
    assertThat(f).containsOnlyKeys("cscs[1]", "telescopes");
    assertThat(f.get("cscs[1]")).contains("ESS:201").contains("auxtel-ess01").contains("not in Kubernetes");
    assertThat(f.get("telescopes")).contains("not a test stand");
    f = fields(post("operator", Map.of("process", "incremental-upgrade", "site", "bts", "cycle", "Cycle 40",
        "revision", "Revision 2", "breakingSchemaChange", false, "cscs", List.of("ATDome"),
        "newTopics", List.of("ATDome.logevent_newEvent", "ATMCS.logevent_x"))));
    assertThat(f).containsOnlyKeys("newTopics[1]");
    assertThat(f.get("newTopics[1]")).contains("ATMCS.logevent_x").contains("not an affected CSC");

    // accepted: the full topic name on the site's broker becomes the start variable
    ResponseEntity<Map<String, Object>> created = post("operator", Map.of("process", "incremental-upgrade",
        "site", "bts", "cycle", "Cycle 40", "revision", "Revision 2", "breakingSchemaChange", false,
        "cscs", List.of("ATDome"), "newTopics", List.of("ATDome.logevent_newEvent"), "telescopes", List.of("auxtel")));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String pid = (String) created.getBody().get("processInstanceId");
    started.add(pid);
    String subname = sites.require("bts").endpoints().kafkaTopicSubname();
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid).variableName("newTopics")
        .singleResult().getValue()).isEqualTo(List.of("lsst." + subname + ".ATDome.logevent_newEvent"));
    cancel(pid);
    // the run may have begun sending CSCs OFFLINE: the twin site as the next test expects it
    new org.lsst.ts.upgrade.rehearsal.TwinSites(reset, twinCscs, cscStates).inOperation("bts");
  }

  private static org.springframework.http.HttpHeaders jsonHeaders() {
    var h = new org.springframework.http.HttpHeaders();
    h.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
    return h;
  }
}
