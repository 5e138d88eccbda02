package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.runbook.Durations;
import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.springframework.stereotype.Component;

/**
 * What the "host step running longer than usual" task says (the step, the hosts still running at
 * the last poll and for how long, how long it usually takes, the hard deadline), and whether to ask
 * at all: not while the step's own failure task is open (one question at a time), nor when no host
 * is running any more.
 */
@Component
@LocalStep
public class DescribeSlowHostStep implements JavaDelegate {
  private final HostStepSettings settings;

  public DescribeSlowHostStep(HostStepSettings settings) {
    this.settings = settings;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String step = v.string(HOST_STEP);
    String label = v.stringOr(RunHostCommandsIds.VAR_HOST_STEP_LABEL, step);
    List<String> running = v.list(RunHostCommandsIds.VAR_HOSTS_RUNNING);
    boolean failureOpen = execution.getProcessEngineServices().getTaskService().createTaskQuery()
        .processInstanceId(execution.getProcessInstanceId())
        .taskDefinitionKey(RunHostCommandsIds.HANDLE_HOST_STEP_FAILURE).count() > 0;
    v.set(RunHostCommandsIds.VAR_HOST_STEP_OVERDUE_ASK, !failureOpen && !running.isEmpty());
    Date started = v.date(RunHostCommandsIds.VAR_HOST_COMMANDS_STARTED_AT);
    Duration ran = started == null ? null
        : Duration.between(started.toInstant(), ClockUtil.getCurrentTime().toInstant());
    Date deadline = v.date(RunHostCommandsIds.VAR_HOST_COMMANDS_DEADLINE);
    v.set(RunHostCommandsIds.VAR_HOST_STEP_OVERDUE_TEXT, "**" + label + "** has run "
        + (ran == null ? "longer than usual" : Durations.human(ran)) + " (usually "
        + Durations.human(settings.properties().expectedFor(step)) + ") and is still running on "
        + (running.isEmpty() ? "no host" : String.join(", ", running)) + " (as of the last look)"
        + (deadline == null ? "" : "; it counts as failed at " + deadline.toInstant()
            + " (upgrade.ssh.detached-timeout)") + ".");
  }
}
