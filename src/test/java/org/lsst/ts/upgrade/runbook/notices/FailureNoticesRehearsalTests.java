package org.lsst.ts.upgrade.runbook.notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.history.RunReports;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.lsst.ts.upgrade.rehearsal.TwinSlack;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.hoststeps.RunHostCommandsIds;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Rows of docs/when-something-fails.md (issue 17) on the twin, each in a TTS full upgrade answered
 * by the autopilot: LOVE answering 503 (an incident that says where and what next, in Cockpit and
 * in Slack, and a retry once LOVE is back); the shutdown script ending FAILED (the summary and the
 * report say so, the run goes on); an operator's abort (the run API's state and filter, who, where
 * and why, also in Slack).
 */
@RehearsalTest
class FailureNoticesRehearsalTests {
  private static final String SITE = "tts";
  private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {};

  @Autowired Runs runs;
  @Autowired RunReports reports;
  @Autowired Autopilot autopilot;
  @Autowired TwinReset reset;
  @Autowired TwinCscs twinCscs;
  @Autowired CscStates cscStates;
  @Autowired FaultRegistry faults;
  @Autowired TwinSlack slack;
  @Autowired Sites sites;
  @Autowired HistoryService history;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;
  @Autowired TestRestTemplate rest;

  /** What the people do once when they approve the plan (the autopilot's action is never removed: one shot). */
  private static final AtomicReference<Runnable> atApproval = new AtomicReference<>();
  private static volatile boolean actionAdded;
  private Long fault;
  private String pid;

  @AfterEach
  void off() {
    atApproval.set(null);
    autopilot.setEnabled(false);
    autopilot.clearOverrides();
    if (fault != null) {
      faults.remove(fault);
      fault = null;
    }
    if (pid != null) {
      org.lsst.ts.upgrade.TestRuns.cancel(runtime, pid);
    }
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
  }

  private Runs.Started start() {
    if (!actionAdded) {
      actionAdded = true;
      autopilot.addAction(new Autopilot.TaskAction() {
        @Override
        public boolean handles(String formId) {
          return formId.equals("approve-plan");
        }

        @Override
        public void perform(String site, String formId, Map<String, Object> answers) {
          Runnable r = atApproval.getAndSet(null);
          if (r != null) {
            r.run();
          }
        }
      });
    }
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "full-upgrade");
    body.put("site", SITE);
    body.put("cycle", "Cycle 40");
    body.put("breakingSchemaChange", false);
    body.put("phalanxRef", "tickets/DM-12345");
    var started = runs.start(body, null);
    pid = started.processInstanceId();
    return started;
  }

  private boolean ended() {
    return history.createHistoricProcessInstanceQuery().processInstanceId(pid).finished().count() == 1;
  }

  /** The run's incidents that are their own root cause (the failed step, not the call activities above it). */
  private List<Incident> rootIncidents() {
    return runtime.createIncidentQuery().list().stream()
        .filter(i -> i.getId().equals(i.getRootCauseIncidentId()))
        .filter(i -> pid.equals(history.createHistoricProcessInstanceQuery().processInstanceId(i.getProcessInstanceId())
            .singleResult().getRootProcessInstanceId()))
        .toList();
  }

  @Test
  void loveUnavailableIsAnIncidentSayingWhereAndWhatNextInCockpitAndSlackAndARetryGoesOn() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    String loveUrl = sites.require(SITE).endpoints().love();
    // LOVE goes down (503 to everything) once the plan is approved: the preflight saw it up
    atApproval.set(() -> fault = faults.inject(SITE, "love", "*", "http-503", Map.of(), 0).id());
    int before = slack.messages(SITE).size();
    var started = start();

    // after the step's own retries (R3/PT30S); their 30-s waits are not what is tested here: a failed
    // job is made due again at once (its retries still count down to the incident)
    Incident incident = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
      java.util.Date now = new java.util.Date();
      management.createJobQuery().withException().withRetriesLeft().list().stream()
          .filter(j -> j.getDuedate() != null && j.getDuedate().after(now))
          .forEach(j -> management.setJobDuedate(j.getId(), now));
      List<Incident> found = rootIncidents();
      return found.isEmpty() ? null : found.get(0);
    }, i -> i != null);
    assertThat(fault).as("LOVE was taken down at the plan's approval").isNotNull();

    // Cockpit: the step's incident says LOVE is unavailable, where, and what to do
    assertThat(incident.getIncidentMessage()).contains("LOVE is unavailable (503) at " + loveUrl, "then retry");
    // the call activities above it (what Cockpit shows on the run's own diagram) are not blank
    List<Incident> above = runtime.createIncidentQuery().rootCauseIncidentId(incident.getId()).list().stream()
        .filter(i -> !i.getId().equals(incident.getId())).toList();
    assertThat(above).as("an incident on each call activity up to the run").isNotEmpty()
        .anyMatch(i -> i.getProcessInstanceId().equals(pid))
        .allSatisfy(i -> assertThat(i.getIncidentMessage()).isNotBlank().contains("LOVE is unavailable (503)"));
    above.forEach(i -> assertThat(history.createHistoricIncidentQuery().incidentId(i.getId()).singleResult()
        .getIncidentMessage()).as("and in the history").isEqualTo(i.getIncidentMessage()));

    // Slack: at once, in the site's channel, with the error and the Cockpit link
    String cockpit = "/cockpit/default/#/process-instance/" + incident.getProcessInstanceId() + "/runtime";
    TwinSlack.Message notice = await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages(SITE).stream()
        .skip(before).filter(m -> m.text().startsWith(":rotating_light: run " + started.runId())).findFirst()
        .orElse(null), m -> m != null);
    assertThat(notice.text()).contains("failed after its retries", "LOVE is unavailable (503)", loveUrl, cockpit);
    assertThat(notice.inChannel()).as("the whole channel sees it").isTrue();

    // LOVE is back; the operator retries the incident (Cockpit's "Retry": the job's retries set again)
    faults.remove(fault);
    fault = null;
    management.setJobRetries(incident.getConfiguration(), 1);
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() -> ended()
        || !rootIncidents().isEmpty());
    assertThat(rootIncidents()).isEmpty();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pid).singleResult().getEndActivityId())
        .isEqualTo(FullUpgradeIds.END_UPGRADE_DONE);
    assertThat(history.createHistoricIncidentQuery().incidentId(incident.getId()).singleResult().isResolved()).isTrue();
  }

  @Test
  void aFailedShutdownScriptIsInTheSummaryAndTheReportAndTheRunGoesOn() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    fault = faults.inject(SITE, "love", "system_wide_shutdown.py", "script-fails", Map.of("state", "FAILED"), 1).id();
    int before = slack.messages(SITE).size();
    var started = start();
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> ended()
        || !rootIncidents().isEmpty());
    assertThat(rootIncidents()).isEmpty();
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(pid).singleResult().getEndActivityId())
        .isEqualTo(FullUpgradeIds.END_UPGRADE_DONE);

    TwinSlack.Message summary = await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages(SITE).stream()
        .skip(before).filter(m -> m.text().contains(started.runId()) && m.text().contains("scripts failed: "))
        .findFirst().orElse(null), m -> m != null);
    assertThat(summary.text()).containsPattern("scripts failed: [^\\n]*system_wide_shutdown\\.py[^\\n]*FAILED")
        .doesNotContain("scripts failed: none");
    assertThat(reports.report(started.runId()).failedScripts()).anySatisfy(s ->
        assertThat(s).contains("system_wide_shutdown.py", "FAILED"));
  }

  @Test
  void anOperatorsAbortIsAbortedInTheRunApiWithWhoWhereAndWhyAndInSlack() {
    new TwinSites(reset, twinCscs, cscStates).inOperation(SITE);
    String reason = "the bridge will not stop; calling the upgrade off";
    fault = faults.inject(SITE, "ssh", "auxtel-mcm", "command-fails", Map.of("command", "systemctl stop ats-ocs-bridge",
        "exit", "5", "message", "Unit ats-ocs-bridge.service not loaded."), 0).id();
    autopilot.override(Map.of("host-step-failed", Map.of(RunHostCommandsIds.VAR_HOST_STEP_DECISION, "abort",
        "abortReason", reason)));
    int before = slack.messages(SITE).size();
    var started = start();
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> ended()
        || !rootIncidents().isEmpty());
    assertThat(rootIncidents()).isEmpty();
    assertThat(ended()).isTrue();

    List<Map<String, Object>> aborted = list("?site=" + SITE + "&state=ABORTED");
    Map<String, Object> run = aborted.stream().filter(r -> started.runId().equals(r.get("runId"))).findFirst()
        .orElseThrow(() -> new AssertionError("not among the ABORTED runs: " + aborted));
    assertThat(run).containsEntry("state", "ABORTED");
    @SuppressWarnings("unchecked")
    Map<String, Object> who = (Map<String, Object>) run.get("aborted");
    assertThat(who).containsEntry("by", Autopilot.USER).containsEntry("reason", reason);
    assertThat((String) who.get("step")).contains("Host step failed");
    assertThat(list("?site=" + SITE + "&state=COMPLETED")).noneMatch(r -> started.runId().equals(r.get("runId")));

    TwinSlack.Message notice = await().atMost(Duration.ofSeconds(30)).until(() -> slack.messages(SITE).stream()
        .skip(before).filter(m -> m.text().startsWith(":x: ") && m.text().contains(started.runId())).findFirst()
        .orElse(null), m -> m != null);
    assertThat(notice.text()).contains("was aborted by " + Autopilot.USER, "Host step failed", reason);
  }

  private List<Map<String, Object>> list(String query) {
    ResponseEntity<List<Map<String, Object>>> r = rest.withBasicAuth("operator", "operator")
        .exchange("/api/runs" + query, HttpMethod.GET, null, LIST);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    return r.getBody();
  }
}
