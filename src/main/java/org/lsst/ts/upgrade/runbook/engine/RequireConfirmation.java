package org.lsst.ts.upgrade.runbook.engine;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Component;

/**
 * A confirmation task ("the Phalanx PR is merged", "M2 is ENABLED") cannot be completed with its
 * box unticked: the run would carry on as if it were true. Called from the task's {@code complete}
 * listener ({@code ${requireConfirmation.check(task, 'phalanxMerged')}}), so it holds for Tasklist
 * and for the REST API alike; the refusal leaves the task open.
 */
@Component
public class RequireConfirmation {

  public void check(DelegateTask task, String variable) {
    Object value = task.getVariable(variable);
    if (!Boolean.TRUE.equals(value)) {
      throw new ProcessEngineException("'" + task.getName() + "' cannot be completed without confirming it ("
          + variable + " is " + value + "): do the step first, or leave the task open and ask the run's lead");
    }
  }

  /**
   * A decision that must say what was done ("done by hand"): refused without its note, from the
   * task's {@code complete} listener ({@code ${requireConfirmation.note(task, 'hostStepDecision',
   * 'handledByHand', 'hostStepHandledByHandNote')}}), so the run's record always says what a person did.
   */
  public void note(DelegateTask task, String decisionVariable, String decision, String noteVariable) {
    Object note = task.getVariable(noteVariable);
    if (decision.equals(task.getVariable(decisionVariable)) && (note == null || note.toString().isBlank())) {
      throw new ProcessEngineException("'" + task.getName() + "' cannot be recorded as " + decision + " without a note ("
          + noteVariable + "): say what was done, it goes into the run's summary and report");
    }
  }
}
