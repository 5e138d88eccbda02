package org.lsst.ts.upgrade.runbook.cleanup;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.kubernetes.ClusterCleanup;
import org.lsst.ts.upgrade.runbook.BpmnErrors;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * One look at what {@link CleanUpCluster} left (one listing, from the process's timer loop). Still
 * there at the deadline: the BPMN error {@code CLEANUP_INCOMPLETE} that a person reviews.
 */
@Component
public class CheckCleanup implements JavaDelegate {
  private final ClusterCleanup cleanup;

  public CheckCleanup(ClusterCleanup cleanup) {
    this.cleanup = cleanup;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    List<String> left = v.list(CleanUpClusterIds.VAR_CLEANUP_REMAINING);
    List<String> remaining = left.isEmpty() ? List.of() : cleanup.stillPresent(v.site(), left);
    v.set(CleanUpClusterIds.VAR_CLEANUP_REMAINING, remaining);
    v.set(CleanUpClusterIds.VAR_CLEANUP_VERIFIED, remaining.isEmpty());
    Date deadline = v.date(CleanUpClusterIds.VAR_CLEANUP_DEADLINE);
    if (!remaining.isEmpty() && (deadline == null || !ClockUtil.getCurrentTime().before(deadline))) {
      String text = CleanUpCluster.leftoversText(CleanUpCluster.Target.valueOf(v.string(CLEANUP_TARGET)), remaining);
      v.set(CLEANUP_LEFTOVERS_TEXT, text);
      throw new BpmnError(BpmnErrors.CLEANUP_INCOMPLETE, text);
    }
  }
}
