package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.runbook.Durations;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/** What the "script overdue" task says: which script, how long it has run, how long it usually takes. */
@Component
@LocalStep
public class DescribeOverdueScript implements JavaDelegate {
  private final RunScriptsSettings settings;

  public DescribeOverdueScript(RunScriptsSettings settings) {
    this.settings = settings;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String path = v.stringOr(SCRIPT_PATH, "the script");
    java.util.Date added = v.has(SCRIPT_ADDED_AT) ? v.date(SCRIPT_ADDED_AT) : null;
    Duration ran = added == null ? null : Duration.between(added.toInstant(), ClockUtil.getCurrentTime().toInstant());
    v.set(SCRIPT_OVERDUE_TEXT, "`" + path + "`"
        + (v.has(SCRIPT_INDEX) ? " (script " + v.integer(SCRIPT_INDEX, -1) + " on ScriptQueue:"
            + v.integer(SCRIPT_QUEUE, 1) + ")" : "")
        + (v.has(SCRIPT_DESCRIPTION) ? ", \"" + v.string(SCRIPT_DESCRIPTION) + "\"," : "")
        + " has run " + (ran == null ? "longer than usual" : Durations.human(ran)) + " (usually "
        + Durations.human(settings.properties().expectedFor(v.stringOr(SCRIPT_PATH, null))) + "); it is stopped anyway after "
        + Durations.human(settings.properties().timeout()) + ".");
  }
}
