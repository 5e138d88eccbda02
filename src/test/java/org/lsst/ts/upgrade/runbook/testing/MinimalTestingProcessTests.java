package org.lsst.ts.upgrade.runbook.testing;

import org.lsst.ts.upgrade.runbook.FakeLove;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.*;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.love.Love;

/** Engine-level tests of {@code minimal-testing} and {@code run-scripts}, LOVE mocked. */
class MinimalTestingProcessTests {
  private static final List<String> AUXTEL_BTS = List.of("auxtel/enable_atcs.py", "auxtel/enable_latiss.py",
      "run_command.py", "auxtel/prepare_for/onsky.py", "auxtel/track_target.py", "auxtel/take_image_latiss.py",
      "auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
  private static final List<String> MAINTEL_BTS = List.of("maintel/enable_mtcs.py", "maintel/enable_lsstcam.py",
      "run_command.py", "maintel/home_both_axes.py", "maintel/enable_hexapod_compensation_mode.py",
      "maintel/mtdome/open_dome.py", "maintel/mtdome/enable_dome_following.py", "maintel/m1m3/raise_m1m3.py",
      "maintel/track_target.py", "maintel/take_image_lsstcam.py", "maintel/stop_tracking.py",
      "maintel/standby_mtcs.py");

  static final FakeLove love = new FakeLove();
  @RegisterExtension static final RunbookEngine fx = new RunbookEngine().with(Love.class, love.love);

  @BeforeEach
  void forget() {
    love.reset();
  }

  @AfterEach
  void clock() {
    ClockUtil.reset();
    // a test that failed half-way must not leave its run for the next ones (the engine is shared)
    fx.engine.getRuntimeService().createProcessInstanceQuery().list().forEach(pi ->
        fx.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test ended", true, true));
  }

  private ProcessInstance start(String site, List<String> telescopes) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("site", site);
    vars.put("runId", site + "-minimal-testing-test");
    vars.put("telescopes", telescopes == null ? null
        : Variables.objectValue(new java.util.ArrayList<>(telescopes)).serializationDataFormat("application/json").create());
    ProcessInstance pi = fx.engine.getRuntimeService().startProcessInstanceByKey(KEY, site + "-test", vars);
    // started on its own: the preflight first, and the plan approved
    fx.approvePlan();
    return pi;
  }

  /** Drives jobs and completes the person's tasks with the given answers until the run ends. */
  private void runToEnd(ProcessInstance pi, Map<String, Object> answers) {
    for (int i = 0; i < 20 && !fx.ended(pi); i++) {
      fx.drive();
      for (Task t : fx.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).list()) {
        assertThat(fx.engine.getTaskService().getIdentityLinksForTask(t.getId()))
            .anySatisfy(l -> assertThat(l.getGroupId()).isEqualTo("operators"));
        fx.engine.getTaskService().complete(t.getId(), answers);
      }
    }
    assertThat(fx.ended(pi)).as("run ended").isTrue();
  }

  private List<String> tasksDone(ProcessInstance pi) {
    return fx.engine.getHistoryService().createHistoricTaskInstanceQuery().processInstanceId(pi.getId()).list()
        .stream().map(t -> t.getTaskDefinitionKey()).sorted().toList();
  }

  @Test
  void bothTelescopesTrackAndTakeImagesOnTheirOwnQueuesAtTheBts() {
    ProcessInstance pi = start("bts", null);
    runToEnd(pi, Map.of());

    assertThat(love.onQueue(2)).containsExactlyElementsOf(AUXTEL_BTS);
    assertThat(love.onQueue(1)).containsExactlyElementsOf(MAINTEL_BTS);
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_PASSED).hasNotPassed(END_MINIMAL_TESTING_FAILED);
    assertThat(tasksDone(pi)).containsExactly(AUXTEL_HOUSEKEEPING, AUXTEL_IMAGES_INGESTED, MAINTEL_HOUSEKEEPING, MAINTEL_IMAGES_INGESTED);
    assertThat(fx.historicVariable(pi, VAR_PASSED)).isEqualTo(true);
    assertThat(fx.historicVariable(pi, VAR_AUXTEL_DASHBOARDS).toString()).contains("LATISS Exposure Table")
        .contains("LATISS OODS ingest status").doesNotContain("LSSTCam");
    // the seed's configurations
    var playlist = love.requests.stream().filter(r -> r.config().toString().contains("ATCamera")).findFirst().orElseThrow();
    assertThat(playlist.config()).containsEntry("cmd", "play");
    assertThat(playlist.config().get("parameters").toString()).contains("playlist=bias").contains("repeat=true");
    var images = love.requests.stream().filter(r -> r.path().equals("maintel/take_image_lsstcam.py")).findFirst().orElseThrow();
    assertThat(images.config()).containsEntry("nimages", 5).containsEntry("image_type", "ACQ")
        .containsEntry("reason", "minimal_testing").containsEntry("exp_times", 30);
    assertThat(love.requests).allSatisfy(r -> assertThat(r.tag()).isNotBlank());
  }

  @Test
  void theTtsTracksOnlyAndAsksNothingAboutImages() {
    ProcessInstance pi = start("tts", null);
    runToEnd(pi, Map.of());

    assertThat(love.onQueue(2)).containsExactly("auxtel/enable_atcs.py", "auxtel/prepare_for/onsky.py",
        "auxtel/track_target.py", "auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
    assertThat(love.onQueue(1)).doesNotContain("maintel/enable_lsstcam.py", "run_command.py",
        "maintel/take_image_lsstcam.py").contains("maintel/track_target.py", "maintel/standby_mtcs.py");
    assertThat(tasksDone(pi)).containsExactly(AUXTEL_HOUSEKEEPING, MAINTEL_HOUSEKEEPING);
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_PASSED);
  }

  @Test
  void onlyTheRequestedTelescopeIsTested() {
    ProcessInstance pi = start("summit", List.of("auxtel"));
    runToEnd(pi, Map.of());
    assertThat(love.onQueue(1)).isEmpty();
    assertThat(love.onQueue(2)).containsExactlyElementsOf(AUXTEL_BTS);
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_PASSED).hasNotPassed(SUBPROCESS_MAINTEL);
  }

  @Test
  void aFailingScriptEndsThatTelescopeSafelyAndFailsTheTest() {
    love.failing.add("maintel/m1m3/raise_m1m3.py");
    ProcessInstance pi = start("bts", null);
    runToEnd(pi, Map.of());

    // MainTel stopped at the failed script, resumed its queue, then stopped tracking and went to STANDBY
    assertThat(love.onQueue(1)).endsWith("maintel/m1m3/raise_m1m3.py", "maintel/stop_tracking.py",
        "maintel/standby_mtcs.py").doesNotContain("maintel/track_target.py");
    verify(love.love, atLeastOnce()).resumeQueue("bts", 1);
    // AuxTel was not affected
    assertThat(love.onQueue(2)).containsExactlyElementsOf(AUXTEL_BTS);
    assertThat(pi).hasPassed(BOUNDARY_MAINTEL_SCRIPT_FAILED, MAINTEL_SAFE_ENDING, END_MINIMAL_TESTING_FAILED).hasNotPassed(END_MINIMAL_TESTING_PASSED, MAINTEL_IMAGES_INGESTED);
    assertThat(fx.historicVariable(pi, VAR_PASSED)).isEqualTo(false);
    assertThat(fx.historicVariable(pi, VAR_REPORT).toString()).contains("MainTel").contains("raise_m1m3.py")
        .contains("simulated failure");
  }

  @Test
  void aFailingSafeEndingScriptDoesNotSkipTheStandbyScript() {
    love.failing.add("auxtel/stop_tracking.py");
    ProcessInstance pi = start("bts", List.of("auxtel"));
    runToEnd(pi, Map.of());
    assertThat(love.onQueue(2)).endsWith("auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_FAILED);
    assertThat(fx.historicVariable(pi, VAR_REPORT).toString()).contains("safe ending incomplete").contains("stop_tracking.py");
  }

  /** Drives the run (completing tasks) until the script of this path is on the queue; the clock has not moved. */
  private void driveUntilAdded(ProcessInstance pi, int queue, String path) {
    for (int i = 0; i < 10 && !love.onQueue(queue).contains(path); i++) {
      fx.drive(40);
      fx.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).list()
          .forEach(t -> fx.engine.getTaskService().complete(t.getId()));
    }
    assertThat(love.onQueue(queue)).contains(path);
    fx.drive(40); // a few more looks: it is still running
    assertThat(fx.ended(pi)).isFalse();
  }

  private static void minutesLater(long minutes) {
    ClockUtil.setCurrentTime(new Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(minutes).toMillis()));
  }

  @Test
  void aScriptThatNeverEndsIsStoppedAfterTheTimeoutAndTheTelescopeIsMadeSafe() {
    love.hanging.add("auxtel/track_target.py");
    ProcessInstance pi = start("tts", List.of("auxtel"));
    driveUntilAdded(pi, 2, "auxtel/track_target.py");
    assertThat(love.stopped).isEmpty();
    minutesLater(31);
    runToEnd(pi, Map.of());
    // stopped, or stop_tracking and standby would wait behind it on the queue (and the run never end)
    assertThat(love.stopped).containsExactly("2:" + love.indexOf("auxtel/track_target.py"));
    assertThat(love.onQueue(2)).endsWith("auxtel/track_target.py", "auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
    assertThat(fx.historicVariable(pi, VAR_REPORT).toString()).contains("did not end within PT30M")
        .contains("it was stopped").doesNotContain("safe ending incomplete");
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_FAILED);
  }

  @Test
  void raiseM1m3HangingAtLowElevationIsStoppedAndMainTelStillStopsTrackingAndGoesToStandby() {
    // the seed: on the test stands raise_m1m3.py hangs at low elevation
    love.hanging.add("maintel/m1m3/raise_m1m3.py");
    ProcessInstance pi = start("bts", List.of("maintel"));
    driveUntilAdded(pi, 1, "maintel/m1m3/raise_m1m3.py");
    minutesLater(31);
    runToEnd(pi, Map.of());
    assertThat(love.stopped).containsExactly("1:" + love.indexOf("maintel/m1m3/raise_m1m3.py"));
    assertThat(love.onQueue(1)).endsWith("maintel/m1m3/raise_m1m3.py", "maintel/stop_tracking.py",
        "maintel/standby_mtcs.py").doesNotContain("maintel/track_target.py");
    assertThat(pi).hasPassed(BOUNDARY_MAINTEL_SCRIPT_FAILED, MAINTEL_SAFE_ENDING, END_MINIMAL_TESTING_FAILED).hasNotPassed(END_MINIMAL_TESTING_PASSED);
    assertThat(fx.historicVariable(pi, VAR_REPORT).toString()).contains("MainTel").contains("raise_m1m3.py")
        .contains("did not end within PT30M").contains("cmd_stopScripts").doesNotContain("safe ending incomplete");
  }

  @Test
  void aHungScriptThatCannotBeStoppedIsRecordedAndTheRunStillEnds() {
    love.hanging.add("auxtel/track_target.py");
    love.stopFails = true;
    ProcessInstance pi = start("tts", List.of("auxtel"));
    driveUntilAdded(pi, 2, "auxtel/track_target.py");
    // every script after it waits behind it on the queue, so each one times out in turn
    for (int i = 0; i < 6 && !fx.ended(pi); i++) {
      minutesLater(31);
      fx.drive(200);
    }
    assertThat(fx.ended(pi)).as("run ended").isTrue();
    assertThat(love.onQueue(2)).endsWith("auxtel/track_target.py", "auxtel/stop_tracking.py", "auxtel/standby_atcs.py");
    assertThat(love.stopped).startsWith("2:" + love.indexOf("auxtel/track_target.py"));
    String report = fx.historicVariable(pi, VAR_REPORT).toString();
    assertThat(report).contains("track_target.py").contains("could not be stopped").contains("stop it in LOVE")
        .contains("safe ending incomplete");
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_FAILED);
  }

  @Test
  void imagesNotIngestedOrRubinTvFailuresFailTheTest() {
    ProcessInstance pi = start("bts", null);
    runToEnd(pi, Map.of(VAR_AUXTEL_IMAGES_INGESTED, true, VAR_MAINTEL_IMAGES_INGESTED, true, VAR_MAINTEL_RUBINTV_OK, false));
    assertThat(pi).hasPassed(END_MINIMAL_TESTING_FAILED);
    assertThat(fx.historicVariable(pi, VAR_REPORT)).isEqualTo("MainTel: RubinTV shows retrieval failures");
  }

  @Test
  void cancellingTheRunQueuesTheSafeEndingOfTelescopesNotYetSafe() {
    ProcessInstance pi = start("bts", null);
    fx.drive();
    assertThat(fx.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).count()).isEqualTo(2);
    int before = love.added.size();
    fx.engine.getRuntimeService().deleteProcessInstance(pi.getId(), "cancelled from Cockpit");
    assertThat(love.added.subList(before, love.added.size())).containsExactlyInAnyOrder(
        "2:auxtel/stop_tracking.py", "2:auxtel/standby_atcs.py", "1:maintel/stop_tracking.py", "1:maintel/standby_mtcs.py");
    verify(love.love).resumeQueue("bts", 2);
    verify(love.love).resumeQueue("bts", 1);
  }
}
