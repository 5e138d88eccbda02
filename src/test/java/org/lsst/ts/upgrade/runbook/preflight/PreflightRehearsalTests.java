package org.lsst.ts.upgrade.runbook.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.TestRuns;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.ActionLog.Action;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The preflight and the plan on the twin: a fault injected before the start stops the run in the
 * preflight's task with nothing but reads in the twin's log; {@code POST /api/runs/plan} of every
 * process at every site returns the plan and leaves the twin's log as it was.
 */
@RehearsalTest
class PreflightRehearsalTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What the preflight may leave in the twin's log: logins and reads. */
  private static final Set<String> READS = Set.of("POST /manager/api/get-token/", "login", "logout", "list",
      "token-expired", "connect", "connection-refused", "GET");

  @Autowired Runs runs;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired ActionLog actions;
  @Autowired FaultRegistry faults;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinReset reset;
  @Autowired org.lsst.ts.upgrade.rehearsal.TwinCscs twinCscs;
  @Autowired org.lsst.ts.upgrade.csc.CscStates cscStates;
  @Autowired Sites sites;
  @LocalServerPort int port;
  private final List<String> started = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    started.forEach(pid -> TestRuns.cancel(runtime, pid));
    started.clear();
    faults.clear();
  }

  private static Map<String, Object> fullUpgrade(String site) {
    boolean summit = site.equals("summit");
    return summit ? Map.of("process", "full-upgrade", "site", site, "cycle", "Cycle 40", "breakingSchemaChange", false,
        "phalanxRef", "tickets/DM-12345", "dockerComposeOpsBranch", "cycle40", "loveIntegrationToolsBranch", "cycle40")
        : Map.of("process", "full-upgrade", "site", site, "cycle", "Cycle 40", "breakingSchemaChange", false,
            "phalanxRef", "tickets/DM-12345");
  }

  @ParameterizedTest
  @ValueSource(strings = {"summit", "tts", "bts"})
  void aHostDownAndAnExpiredArgoCdTokenStopTheRunInThePreflightWithNothingButReads(String siteId) {
    new TwinSites(reset, twinCscs, cscStates).inOperation(siteId);
    Site site = sites.require(siteId);
    String host = site.hostsWithRole(Site.HostRole.CAMERA_MCM).get(0).name();
    faults.inject(siteId, "ssh", host, "down", Map.of(), 0);
    faults.inject(siteId, "argocd", "*", "token-expired", Map.of(), 0);
    long before = lastSeq(siteId);

    String pid = runs.start(fullUpgrade(siteId), null).processInstanceId();
    started.add(pid);
    Task task = await().atMost(Duration.ofSeconds(90)).until(() -> openTask(pid), t -> t != null);

    assertThat(task.getTaskDefinitionKey()).isEqualTo(PreflightIds.REVIEW_PREFLIGHT_PROBLEMS);
    String problems = (String) tasks.getVariable(task.getId(), PreflightIds.VAR_PREFLIGHT_PROBLEMS_TEXT);
    assertThat(problems).contains("SSH " + host).contains("Argo CD (" + site.endpoints().argocd() + ")");
    List<Action> since = actions.actions(siteId).stream().filter(a -> a.seq() > before).toList();
    assertThat(since).as("the twin's log after the start").isNotEmpty()
        .allSatisfy(a -> assertThat(READS.contains(a.action())
            || (a.action().equals("exec") && "true".equals(a.params().get("command"))))
            .as("%s %s %s is a read", a.system(), a.target(), a.action()).isTrue());

    // fixed: checking again goes on to the plan, still with nothing changed
    faults.clear();
    tasks.complete(task.getId(), Map.of(PreflightIds.VAR_PREFLIGHT_DECISION, "checkAgain"));
    Task plan = await().atMost(Duration.ofSeconds(90)).until(() -> openTask(pid),
        t -> t != null && t.getTaskDefinitionKey().equals(PreflightIds.APPROVE_PLAN));
    assertThat((String) tasks.getVariable(plan.getId(), PreflightIds.VAR_PLAN_KUBERNETES)).contains("Job/");
    assertThat(actions.actions(siteId).stream().filter(a -> a.seq() > before)).allSatisfy(a ->
        assertThat(READS.contains(a.action()) || (a.action().equals("exec") && "true".equals(a.params().get("command"))))
            .as("%s %s %s is a read", a.system(), a.target(), a.action()).isTrue());
  }

  @Test
  void thePlanOfEveryProcessAtEverySiteLeavesTheTwinsLogAsItWas() throws Exception {
    BasicAuthHttp http = BasicAuthHttp.as(port, "operator");
    long runsBefore = runtime.createProcessInstanceQuery().count();
    for (String site : List.of("summit", "tts", "bts")) {
      boolean summit = site.equals("summit");
      List<String> bodies = List.of(
          JSON.writeValueAsString(fullUpgrade(site)),
          "{\"process\":\"incremental-upgrade\",\"site\":\"" + site + "\",\"cycle\":\"Cycle 40\",\"revision\":\"Revision 2\","
              + "\"breakingSchemaChange\":false,\"cscs\":[\"ATDome\"]" + (summit ? "" : ",\"telescopes\":[\"auxtel\"]") + "}",
          "{\"process\":\"os-k8s-recovery\",\"site\":\"" + site + "\"}",
          "{\"process\":\"minimal-testing\",\"site\":\"" + site + "\",\"telescopes\":[\"auxtel\"]}");
      await().atMost(Duration.ofSeconds(60)).until(() -> cscStates.historyRead(site));
      for (String body : bodies) {
        List<Action> before = planLog(site);
        var r = http.post("/api/runs/plan", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode plan = JSON.readTree(r.body());
        assertThat(plan.path("site").asText()).isEqualTo(site);
        assertThat(plan.path("sections").size()).isGreaterThanOrEqualTo(5);
        assertThat(plan.path("text").asText()).contains("## Scripts").contains("## Slack notices");
        assertThat(planLog(site)).as("the twin's log after the plan of " + body).isEqualTo(before);
        if (body.contains("full-upgrade")) {
          assertThat(plan.path("text").asText()).contains("system_wide_shutdown.py").contains("Job/")
              .contains("START to " + sites.require(site).slack().channel());
        }
      }
    }
    // the same 400s as POST /api/runs
    var bad = http.post("/api/runs/plan", "{\"process\":\"full-upgrade\",\"site\":\"nowhere\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("fields").has("site")).isTrue();
    assertThat(runtime.createProcessInstanceQuery().count()).as("nothing started").isEqualTo(runsBefore);
  }

  /**
   * The site's log, less the CSC monitor's own schema lookups (it decodes the site's Kafka events
   * in the background, whatever the test does).
   */
  private List<Action> planLog(String site) {
    return actions.actions(site).stream()
        .filter(a -> !(a.system().equals("schema-registry") && a.target().contains("/schemas/ids/"))).toList();
  }

  private long lastSeq(String site) {
    List<Action> all = actions.actions(site);
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  private Task openTask(String pid) {
    List<String> tree = new ArrayList<>();
    tree.add(pid);
    runtime.createProcessInstanceQuery().rootProcessInstanceId(pid).list().forEach(p -> tree.add(p.getId()));
    return tasks.createTaskQuery().active().list().stream().filter(t -> tree.contains(t.getProcessInstanceId()))
        .findFirst().orElse(null);
  }
}
