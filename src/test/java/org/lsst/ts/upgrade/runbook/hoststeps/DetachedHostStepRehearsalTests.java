package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.LatencyModel;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.rehearsal.TwinSites;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A host step whose command lasts longer than the job lock would allow (at the twin's time scale)
 * runs detached on the twin's host and is polled from the BPMN timer: while the command runs, the
 * step waits at its timer and no job of it is locked, and the step ends when the command does. The
 * application's own engine, job executor and SSH client against the twin's SSH servers; TTS only,
 * put back in operation before and after (the application context is shared).
 */
@RehearsalTest
class DetachedHostStepRehearsalTests {
  private static final String SITE = "tts";
  private static final String HOST = "auxtel-mcm";

  @Autowired ProcessEngine engine;
  @Autowired FaultRegistry faults;
  @Autowired ActionLog actions;
  @Autowired LatencyModel latency;
  @Autowired TwinReset reset;
  @Autowired TwinCscs cscs;
  @Autowired CscStates states;

  @Test
  void aCommandLongerThanTheJobLockRunsDetachedAndIsPolledWithoutHoldingAThread() {
    long lock = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor()
        .getLockTimeInMillis();
    assertThat(lock).as("camunda.bpm.job-execution.lock-time-in-millis").isLessThanOrEqualTo(120_000);
    // the 2-minute lock at the twin's time scale (0.002 in tests: 240 ms); the command lasts 10 times that
    Duration scaledLock = Duration.ofMillis(Math.max(1, (long) (lock * latency.timeScale())));
    Duration command = scaledLock.multipliedBy(10).compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
        : scaledLock.multipliedBy(10);
    TwinSites twin = new TwinSites(reset, cscs, states);
    twin.inOperation(SITE);
    long fault = faults.inject(SITE, "ssh", HOST, "slow", Map.of("millis", String.valueOf(command.toMillis())), 0).id();
    int before = actions.actions(SITE).size();
    try {
      String pi = engine.getRuntimeService().startProcessInstanceByKey(RunHostCommandsIds.KEY, "detached-" + System.nanoTime(),
          Variables.createVariables().putValue(RunVariables.SITE, SITE)
              .putValue(RunVariables.HOST_STEP, RunHostCommands.Step.CAMERA_SHUTDOWN.name())
              .putValue(RunVariables.POLL_INTERVAL, "PT0.5S")).getId();

      // while the command runs on the host, the step waits at its timer: no job of it is locked
      AtomicBoolean seenWaiting = new AtomicBoolean();
      await().atMost(command.plusSeconds(20)).until(() -> {
        List<Job> jobs = engine.getManagementService().createJobQuery().processInstanceId(pi).list();
        // (besides the poll timer, the timer of the step's soft deadline is there, not due)
        boolean atTimer = jobs.stream().allMatch(j -> ((JobEntity) j).getLockOwner() == null)
            && engine.getManagementService().createJobQuery().processInstanceId(pi)
                .activityId(RunHostCommandsIds.TIMER_HOST_COMMANDS_POLL).count() == 1;
        if (atTimer && detachedJob(before) != null && detachedJob(before).end() == null) {
          seenWaiting.set(true);
        }
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(pi).count() == 0;
      });
      assertThat(seenWaiting).as("the step waited at its timer while the command ran").isTrue();

      ActionLog.Action job = detachedJob(before);
      assertThat(job.end()).isNotNull();
      assertThat(Duration.between(job.start(), job.end())).isGreaterThan(scaledLock);
      // it was polled again and again, each poll a short job of its own
      assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(pi)
          .activityId(RunHostCommandsIds.CHECK_HOST_COMMANDS).count()).isGreaterThanOrEqualTo(2);
      assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(pi)
          .activityId(RunHostCommandsIds.END_HOST_STEP_DONE).finished().count()).isEqualTo(1);
      assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi)
          .variableName(RunVariables.HOST_STEP_RESULT).singleResult().getValue()).asString()
          .contains(HOST + ": SUCCEEDED (exit 0)", "comcam-mcm: SUCCEEDED (exit 0)");
      // started once per host, though polled many times
      assertThat(actions.actions(SITE).subList(before, actions.actions(SITE).size()))
          .filteredOn(a -> a.action().equals("detached-start")).hasSize(2);
    } finally {
      faults.remove(fault);
      twin.inOperation(SITE);
    }
  }

  /** The detached job of this test on the slow host (the last one started there). */
  private ActionLog.Action detachedJob(int before) {
    List<ActionLog.Action> all = actions.actions(SITE);
    List<ActionLog.Action> jobs = all.subList(Math.min(before, all.size()), all.size()).stream().filter(a -> a.system().equals("ssh")
        && a.action().equals("detached-job") && a.target().equals(SITE + "/" + HOST)
        && String.valueOf(a.params().get("dir")).contains("hoststep-camera-shutdown-")).toList();
    return jobs.isEmpty() ? null : jobs.get(jobs.size() - 1);
  }
}
