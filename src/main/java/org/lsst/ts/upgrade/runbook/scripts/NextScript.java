package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;
import static org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds.*;

import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * {@code run-scripts}: takes the next script of the named list ({@link ScriptSets}) and hands it to
 * {@code run-script}, or says the list is done. The script's tag is this list's process instance and
 * the script's position, so a retried add never queues it twice.
 */
@Component
@LocalStep
public class NextScript implements JavaDelegate {
  private final ScriptSets sets;

  public NextScript(ScriptSets sets) {
    this.sets = sets;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    boolean takesImages = !v.has(VAR_TAKES_IMAGES) || v.flag(VAR_TAKES_IMAGES);
    List<ScriptRequest> plan = sets.resolve(v.string(VAR_SCRIPT_SET), takesImages, v.list(CSCS));
    int position = v.integer(VAR_SCRIPT_POSITION, 0);
    if (position >= plan.size()) {
      v.set(VAR_SCRIPTS_DONE, true);
      return;
    }
    ScriptRequest r = plan.get(position);
    v.set(VAR_SCRIPTS_DONE, false).set(VAR_SCRIPT_POSITION, position)
        .set(SCRIPT_PATH, r.path()).set(SCRIPT_STANDARD, r.standard())
        .set(SCRIPT_CONFIG_JSON, r.config() == null ? null : ScriptConfigs.toJson(r.config()))
        .set(SCRIPT_DESCRIPTION, r.description())
        .set(SCRIPT_TAG, execution.getProcessInstanceId() + "/" + position);
  }
}
