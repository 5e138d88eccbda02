package org.lsst.ts.upgrade.runbook.notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
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
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 17's row "Slack down for the whole run": a TTS full upgrade (autopilot) with the twin's
 * Slack in an outage from start to end. The run completes; when Slack is back, what was meant for
 * the past is not posted as current: the run's stale notices ("starts now", "camera team may start
 * Stage 1", the tasks' notices) are dropped, the summary is posted late under "while Slack was
 * unreachable" with its time, and the report lists each notice never delivered once.
 */
@RehearsalTest
class SlackOutageRehearsalTests {
  @Autowired Runs runs;
  @Autowired RunReports reports;
  @Autowired Autopilot autopilot;
  @Autowired TwinReset reset;
  @Autowired TwinCscs twinCscs;
  @Autowired CscStates cscStates;
  @Autowired FaultRegistry faults;
  @Autowired TwinSlack slack;
  @Autowired HistoryService history;
  @Autowired RuntimeService runtime;

  private Long fault;

  @AfterEach
  void off() {
    autopilot.setEnabled(false);
    if (fault != null) {
      faults.remove(fault);
    }
  }

  @Test
  void slackDownForTheWholeRunDropsTheStaleNoticesAndPostsTheSummaryLate() {
    new TwinSites(reset, twinCscs, cscStates).inOperation("tts");
    fault = faults.inject("tts", "slack", "*", "outage", Map.of(), 0).id();
    int before = slack.messages("tts").size();
    autopilot.setDelay(Duration.ZERO);
    autopilot.setEnabled(true);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", "full-upgrade");
    body.put("site", "tts");
    body.put("cycle", "Cycle 40");
    body.put("breakingSchemaChange", true);
    body.put("phalanxRef", "tickets/DM-12345");
    var started = runs.start(body, null);
    String pi = started.processInstanceId();
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() ->
        history.createHistoricProcessInstanceQuery().processInstanceId(pi).finished().count() == 1
            || runtime.createIncidentQuery().count() > 0);
    assertThat(runtime.createIncidentQuery().count()).isZero();
    String runId = history.createHistoricProcessInstanceQuery().processInstanceId(pi).singleResult().getBusinessKey();
    assertThat(slack.messages("tts")).hasSize(before);
    // each notice once, with its time, while Slack is still down
    List<String> during = reports.report(runId).undeliveredNotices();
    assertThat(during).doesNotHaveDuplicates().anyMatch(e -> e.startsWith("START "))
        .anyMatch(e -> e.startsWith("CAMERA_STAGE1 ")).anyMatch(e -> e.startsWith("SUMMARY "));

    faults.remove(fault);
    fault = null;
    await().atMost(Duration.ofSeconds(60)).until(() -> slack.messages("tts").stream().skip(before)
        .anyMatch(m -> m.text().contains(runId) && m.text().contains("finished")));
    List<TwinSlack.Message> after = slack.messages("tts").stream().skip(before).toList();
    assertThat(after).filteredOn(m -> m.text().contains("finished")).singleElement()
        .satisfies(m -> assertThat(m.text()).startsWith(":hourglass: *While Slack was unreachable*").contains("UTC"))
        // no message of the run got through before: the late one is on its own (the run's thread from now on)
        .satisfies(m -> assertThat(m.threadTs()).isNull());
    // the moment of "starts now" and of the camera team's Stage 1 has passed: not posted at all
    assertThat(after).noneMatch(m -> m.text().contains("starts now") || m.text().contains("may start Stage 1"));
    assertThat(after).noneMatch(m -> m.text().contains("waits for"));

    // the report: each notice never delivered once, said dropped; the summary, delivered late, not listed
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> listed = reports.report(runId).undeliveredNotices();
      assertThat(listed).doesNotHaveDuplicates().noneMatch(e -> e.startsWith("SUMMARY "));
      assertThat(listed).filteredOn(e -> e.startsWith("START ")).singleElement()
          .satisfies(e -> assertThat(e).contains("not posted: the run had ended"));
      assertThat(listed).filteredOn(e -> e.startsWith("CAMERA_STAGE1 ")).hasSize(1);
    });
  }
}
