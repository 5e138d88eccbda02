package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * A person says a failed host step was done by hand: one line on the run ({@link
 * org.lsst.ts.upgrade.runbook.RunVariables#HOST_STEPS_BY_HAND}: the step, its hosts, who, the
 * note), for the summary and the report.
 */
@Component
@LocalStep
public class RecordHostStepByHand implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String label = v.stringOr(RunHostCommandsIds.VAR_HOST_STEP_LABEL, v.string(HOST_STEP));
    String note = v.stringOr(RunHostCommandsIds.VAR_HOST_STEP_BY_HAND_NOTE, "").strip().replaceAll("\\s+", " ");
    var auth = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    String who = auth == null || auth.getUserId() == null ? "a person" : auth.getUserId();
    String line = label + " on " + String.join(", ", v.list(RunHostCommandsIds.VAR_HOSTS_NOT_DONE)) + ", by "
        + who + (note.isEmpty() ? "" : " — " + note);
    appendOnTheRun((ExecutionEntity) execution, line);
  }

  /**
   * On the run, and on every stage between that holds a copy: a stage hands its variables back to
   * the run when it ends ({@code out variables="all"}), and a stale copy would undo the line.
   */
  static void appendOnTheRun(ExecutionEntity execution, String line) {
    for (ExecutionEntity pi = execution.getProcessInstance().getSuperExecution() == null ? null
        : execution.getProcessInstance().getSuperExecution().getProcessInstance(); pi != null;
        pi = pi.getSuperExecution() == null ? null : pi.getSuperExecution().getProcessInstance()) {
      if (pi.getSuperExecution() != null && pi.hasVariableLocal(HOST_STEPS_BY_HAND)) {
        RunVariables.of(pi).appendLine(HOST_STEPS_BY_HAND, line);
      }
    }
    RunVariables.of(execution).run().appendLine(HOST_STEPS_BY_HAND, line);
  }
}
