package org.lsst.ts.upgrade.runbook.scripts;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.love.Love;
import org.springframework.stereotype.Component;

/** Adds the script to the ScriptQueue; idempotent per {@code scriptTag} (a retry finds the script already added). */
@Component
public class AddScript implements JavaDelegate {
  private final Love love;

  public AddScript(Love love) {
    this.love = love;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    int queue = v.integer(SCRIPT_QUEUE, 1);
    String path = v.string(SCRIPT_PATH);
    String tag = v.stringOr(SCRIPT_TAG, v.runId() + ":" + path);
    var request = ScriptConfigs.request(path, v.has(SCRIPT_STANDARD) ? v.flag(SCRIPT_STANDARD) : true,
        v.stringOr(SCRIPT_CONFIG_JSON, null), v.stringOr(SCRIPT_DESCRIPTION, path + " for run " + v.runId()), tag);
    java.util.Date sent = new java.util.Date(); // wall clock: compared with when queue events were heard
    int index = love.addScript(v.site(), queue, request);
    // every variable the polls write exists from here on: a poll then only updates them (creating a
    // variable on the instance while a person answers the overdue task would be a write conflict)
    v.set(SCRIPT_ABSENT_POLLS, 0).set(SCRIPT_LOST, false).set(SCRIPT_STARTED, false).set(SCRIPT_END_UNHEARD_POLLS, 0)
        .set(SCRIPT_STATE_ASKED_AT, sent);
    v.set(SCRIPT_INDEX, index).set(SCRIPT_ADD_SENT_AT, sent).set(SCRIPT_DONE, false).set(SCRIPT_ADDED_AT, ClockUtil.getCurrentTime());
  }
}
