package org.lsst.ts.upgrade.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.offline.SendCscsOfflineIds;
import org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds;
import org.lsst.ts.upgrade.runbook.sync.SyncAppIds;
import org.lsst.ts.upgrade.site.CscId;

/**
 * Forms have their context: every {@code {{variable}}} a task's form shows is a variable in scope
 * of the task (passed into the called stage), so no name or link is blank exactly when a person
 * needs it. Drives every run process through its tasks, the failure paths' forms included, and
 * lists what is missing where ({@link RunbookEngine#formContextProblems}).
 */
class FormContextTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"summit", "tts", "bts"})
  void everyFormOfAFullUpgradeHasItsVariables(String site) {
    h.siteUp(site);
    // a CSC that ignores OFFLINE, and a sync that fails once: their forms too
    h.ignoresOffline.add(CscId.of("ATDome"));
    when(h.argo.progress(anyString(), eq("love"), any()))
        .thenReturn(new SyncProgress(SyncProgress.State.FAILED, "ImagePullBackOff", null))
        .thenReturn(new SyncProgress(SyncProgress.State.SUCCEEDED, "synced", null));
    // every host step fails on its first attempt (then the autopilot's retry works): the failure task's form too
    when(h.hosts.detachedStatus(anyString(), anyString(), anyString())).thenAnswer(inv -> {
      String job = inv.getArgument(2);
      boolean fails = job.startsWith("hoststep-") && job.endsWith("-0");
      return new org.lsst.ts.upgrade.hosts.DetachedStatus(inv.getArgument(1), job, fails
          ? org.lsst.ts.upgrade.hosts.DetachedStatus.State.FAILED : org.lsst.ts.upgrade.hosts.DetachedStatus.State.SUCCEEDED,
          fails ? 1 : 0, fails ? "permission denied" : "done");
    });
    h.start(site, true);
    h.drive(Map.of(SyncAppIds.HANDLE_SYNC_FAILURE, Map.of(RunVariables.SYNC_DECISION, "retry")));
    assertThat(h.completedTasks).contains(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE, SyncAppIds.HANDLE_SYNC_FAILURE,
        org.lsst.ts.upgrade.runbook.hoststeps.RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE);
    assertThat(h.formContextProblems).as("form variables not in scope of their task").isEmpty();
  }

  @Test
  void everyFormOfAnIncrementalUpgradeHasItsVariables() {
    h.siteUp("bts");
    Map<String, Object> vars = new HashMap<>();
    vars.put(RunVariables.SITE, "bts");
    vars.put(RunVariables.RUN_ID, "bts-incremental-" + System.nanoTime());
    vars.put(RunVariables.CYCLE, "Cycle 40");
    vars.put("revision", "Revision 2");
    vars.put(RunVariables.BREAKING_SCHEMA_CHANGE, false);
    vars.put(RunVariables.STARTED_BY, "operator1");
    vars.put(RunVariables.CSCS, new ArrayList<>(List.of("ATDome", "ESS:201")));
    h.engine.getRuntimeService().startProcessInstanceByKey(IncrementalUpgradeIds.KEY, (String) vars.get(RunVariables.RUN_ID), vars);
    h.drive(Map.of());
    assertThat(h.completedTasks).isNotEmpty();
    assertThat(h.formContextProblems).as("form variables not in scope of their task").isEmpty();
  }

  @Test
  void everyFormOfARecoveryHasItsVariables() {
    Map<String, Object> vars = new HashMap<>();
    vars.put(RunVariables.SITE, "summit");
    vars.put(RunVariables.RUN_ID, "summit-os-k8s-recovery-" + System.nanoTime());
    vars.put(RunVariables.STARTED_BY, "operator1");
    h.engine.getRuntimeService().startProcessInstanceByKey(OsK8sRecoveryIds.KEY, (String) vars.get(RunVariables.RUN_ID), vars);
    h.drive(Map.of());
    assertThat(h.completedTasks).isNotEmpty();
    assertThat(h.formContextProblems).as("form variables not in scope of their task").isEmpty();
  }

  @Test
  void theCheckFindsAVariableThatIsNotInScope() {
    h.siteUp("tts");
    h.start("tts", false);
    h.ignoresOffline.add(CscId.of("ATDome"));
    Task task = h.driveUntilTask(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE, Map.of());
    // the run's own variable, gone from the task's scope: its form would show a blank
    h.engine.getRuntimeService().removeVariable(task.getExecutionId(), RunVariables.RUN_ID);
    h.engine.getRuntimeService().removeVariable(task.getProcessInstanceId(), RunVariables.RUN_ID);
    h.checkFormContext(task);
    assertThat(h.formContextProblems).anyMatch(p -> p.contains("{{runId}}"));
  }
}
