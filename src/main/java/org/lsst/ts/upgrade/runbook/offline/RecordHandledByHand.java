package org.lsst.ts.upgrade.runbook.offline;

import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Records the CSCs a person says were sent OFFLINE by hand, with who said so and the note. */
@Component
@LocalStep
public class RecordHandledByHand implements JavaDelegate {
  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    List<String> recorded = new ArrayList<>(v.list(CSCS_HANDLED_BY_HAND));
    String note = v.stringOr(STILL_ALIVE_NOTE, "").trim();
    for (String laggard : v.list(AWAIT_LAGGARDS)) {
      recorded.add(laggard + (note.isEmpty() ? "" : " — " + note));
    }
    v.set(CSCS_HANDLED_BY_HAND, recorded);
  }
}
