package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.hosts.SshProperties;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.hoststeps.StartHostCommands.HostJob;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * A person chose "retry" in the host step's failure task: the failed hosts' commands run again,
 * each as a new detached job (a new attempt number, so a retry of this job starts nothing twice);
 * the hosts still running are waited for again, with a new deadline.
 */
@Component
public class RunFailedHostsAgain implements JavaDelegate {
  private final RemoteHosts hosts;
  private final Sites sites;
  private final SshProperties ssh;

  public RunFailedHostsAgain(RemoteHosts hosts, Sites sites, SshProperties ssh) {
    this.hosts = hosts;
    this.sites = sites;
    this.ssh = ssh;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    RunHostCommands.Step step = RunHostCommands.Step.valueOf(v.string(HOST_STEP));
    String label = v.stringOr(RunHostCommandsIds.VAR_HOST_STEP_LABEL, step.name());
    Site site = sites.require(v.site());
    Map<String, HostJob> jobs = CheckHostCommands.jobs(v);
    Map<String, DetachedStatus> statuses = CheckHostCommands.statuses(hosts, site.id(), jobs, label, "read the state of");
    Map<String, List<HostCommand>> plan = RunHostCommands.plan(step, site, v);
    Map<String, String> again = new LinkedHashMap<>();
    statuses.forEach((host, st) -> {
      if (st.state() == DetachedStatus.State.FAILED && plan.containsKey(host)) {
        int attempt = jobs.get(host).attempt() + 1;
        HostJob next = new HostJob(host, StartHostCommands.jobId(execution, step, attempt), attempt);
        jobs.put(host, next);
        again.put(host, next.jobId());
      }
    });
    // recorded before starting: a retry of this job after a partial start finds the same job ids (idempotent)
    v.set(RunHostCommandsIds.VAR_HOST_JOBS, jobs.values().stream().map(HostJob::entry).toList());
    if (!again.isEmpty()) {
      StartHostCommands.start(hosts, site.id(), label, "the failed hosts' commands again", again, plan);
    }
    execution.removeVariable(RunHostCommandsIds.VAR_HOST_STEP_STOP_REQUESTED_BY);
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DEADLINE, StartHostCommands.deadline(ssh));
  }
}
