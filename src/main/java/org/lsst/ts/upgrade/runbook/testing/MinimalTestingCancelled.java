package org.lsst.ts.upgrade.runbook.testing;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.scripts.ScriptSets;
import static org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * End listener of {@code minimal-testing}: when the run is cancelled (Cockpit, or its parent run
 * cancelled) before a tested telescope's safe ending ran, queue stop-tracking and the standby
 * script for it so the telescope is not left tracking. Best effort: a cancellation must not fail
 * because LOVE is unreachable; it is logged for the operator.
 */
@Component
public class MinimalTestingCancelled implements ExecutionListener {
  private static final Logger log = LoggerFactory.getLogger(MinimalTestingCancelled.class);
  private final Love love;
  private final ScriptSets sets;

  public MinimalTestingCancelled(Love love, ScriptSets sets) {
    this.love = love;
    this.sets = sets;
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (!execution.isCanceled()) {
      return;
    }
    String site = (String) execution.getVariable(RunVariables.SITE);
    log.info("Minimal testing {} cancelled: making the tested telescopes safe", execution.getProcessBusinessKey());
    safeEnd(execution, site, VAR_TEST_AUXTEL, VAR_AUXTEL_SAFE, ScriptSets.AUXTEL_SAFE, ScriptSets.AUXTEL_QUEUE);
    safeEnd(execution, site, VAR_TEST_MAINTEL, VAR_MAINTEL_SAFE, ScriptSets.MAINTEL_SAFE, ScriptSets.MAINTEL_QUEUE);
  }

  private void safeEnd(DelegateExecution execution, String site, String tested, String safe, String set, int queue) {
    if (!Boolean.TRUE.equals(execution.getVariable(tested)) || Boolean.TRUE.equals(execution.getVariable(safe))) {
      return;
    }
    try {
      love.resumeQueue(site, queue);
      int i = 0;
      for (ScriptRequest r : sets.resolve(set, true, null)) {
        love.addScript(site, queue, r.withTag(execution.getProcessInstanceId() + "/cancel/" + set + "/" + i++));
      }
      log.warn("Minimal testing {} cancelled: queued {} on ScriptQueue:{} of {}", execution.getProcessBusinessKey(),
          set, queue, site);
    } catch (RuntimeException e) {
      log.error("Minimal testing {} cancelled, but the safe ending ({}) could not be queued on ScriptQueue:{} of {}: {}."
          + " Stop tracking and put the telescope in STANDBY by hand.", execution.getProcessBusinessKey(), set, queue,
          site, e.toString());
    }
  }
}
