package org.lsst.ts.upgrade.runbook.testing;

import org.lsst.ts.upgrade.runbook.LocalStep;
import static org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Collects the outcome: a telescope passes when its scripts succeeded, its safe ending ran, and
 * the people saw the images ingested (and, MainTel, no RubinTV retrieval failure).
 */
@Component
@LocalStep
public class MinimalTestingSummary implements JavaDelegate {

  @Override
  public void execute(DelegateExecution execution) {
    List<String> problems = new ArrayList<>();
    boolean images = !Boolean.FALSE.equals(execution.getVariable(VAR_TAKES_IMAGES));
    if (Boolean.TRUE.equals(execution.getVariable(VAR_TEST_AUXTEL))) {
      telescope(execution, "AuxTel", VAR_AUXTEL_FAILURE, VAR_AUXTEL_SAFE_FAILURES, problems);
      if (images && execution.getVariable(VAR_AUXTEL_FAILURE) == null
          && Boolean.FALSE.equals(execution.getVariable(VAR_AUXTEL_IMAGES_INGESTED))) {
        problems.add("AuxTel: images were not ingested (LATISS dashboards)");
      }
    }
    if (Boolean.TRUE.equals(execution.getVariable(VAR_TEST_MAINTEL))) {
      telescope(execution, "MainTel", VAR_MAINTEL_FAILURE, VAR_MAINTEL_SAFE_FAILURES, problems);
      if (images && execution.getVariable(VAR_MAINTEL_FAILURE) == null) {
        if (Boolean.FALSE.equals(execution.getVariable(VAR_MAINTEL_IMAGES_INGESTED))) {
          problems.add("MainTel: images were not ingested (LSSTCam dashboards)");
        }
        if (Boolean.FALSE.equals(execution.getVariable(VAR_MAINTEL_RUBINTV_OK))) {
          problems.add("MainTel: RubinTV shows retrieval failures");
        }
      }
    }
    execution.setVariable(VAR_PASSED, problems.isEmpty());
    execution.setVariable(VAR_REPORT, problems.isEmpty() ? "minimal testing passed" : String.join("\n", problems));
  }

  private static void telescope(DelegateExecution execution, String name, String failure, String safeFailures,
      List<String> problems) {
    Object f = execution.getVariable(failure);
    if (f != null) {
      problems.add(name + ": " + f);
    }
    Object s = execution.getVariable(safeFailures);
    if (s != null && !s.toString().isBlank()) {
      problems.add(name + " safe ending incomplete (check the telescope by hand): " + s);
    }
  }
}
