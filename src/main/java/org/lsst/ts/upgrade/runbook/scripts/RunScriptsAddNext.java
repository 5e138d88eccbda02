package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.scripts.RunScriptsIds.*;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.springframework.stereotype.Component;

/**
 * Adds the next script of the list to the ScriptQueue, or says the list is done. The add is
 * idempotent (tagged with this process instance and the script's position), so a retried job
 * never queues a script twice.
 */
@Component
public class RunScriptsAddNext implements JavaDelegate {
  private final Love love;
  private final ScriptSets sets;

  public RunScriptsAddNext(Love love, ScriptSets sets) {
    this.love = love;
    this.sets = sets;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunScriptsVariables v = new RunScriptsVariables(execution);
    List<ScriptRequest> plan = sets.resolve(v.scriptSet(), v.takesImages(), v.cscs());
    int index = v.scriptIndex();
    if (index >= plan.size()) {
      execution.setVariable(VAR_SCRIPTS_DONE, true);
      return;
    }
    ScriptRequest request = plan.get(index).withTag(execution.getProcessInstanceId() + "/" + index);
    int salIndex = love.addScript(v.site(), v.queue(), request);
    execution.setVariable(VAR_SCRIPTS_DONE, false);
    execution.setVariable(VAR_CURRENT_SCRIPT, salIndex);
    execution.setVariable(VAR_CURRENT_SCRIPT_PATH, request.path());
    execution.setVariable(VAR_SCRIPT_ADDED_AT, ClockUtil.getCurrentTime());
    execution.setVariable(VAR_SCRIPT_STATE, STATE_RUNNING);
  }
}
