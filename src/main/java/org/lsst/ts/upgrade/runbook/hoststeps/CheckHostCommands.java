package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
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
 * One poll of a host step's detached jobs (from the timer loop of {@code run-host-commands}). When
 * every host has ended and one failed, or a host is still running at the deadline, the step is a
 * technical failure: retries (which only look again), then an incident naming each host, its exit
 * status and the end of its log. An operator's retry of that incident (Cockpit) runs the failed hosts'
 * commands again (a new attempt) and gives the running ones a new deadline.
 */
@Component
public class CheckHostCommands implements JavaDelegate {
  private static final int LOG_LINES = 8;

  private final RemoteHosts hosts;
  private final Sites sites;
  private final SshProperties ssh;

  public CheckHostCommands(RemoteHosts hosts, Sites sites, SshProperties ssh) {
    this.hosts = hosts;
    this.sites = sites;
    this.ssh = ssh;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    RunHostCommands.Step step = RunHostCommands.Step.valueOf(v.string(HOST_STEP));
    Site site = sites.require(v.site());
    boolean retriedByPerson = retriedAfterIncident(execution);
    Map<String, List<HostCommand>> plan = retriedByPerson ? RunHostCommands.plan(step, site, v) : Map.of();
    Map<String, HostJob> jobs = new LinkedHashMap<>();
    v.list(RunHostCommandsIds.VAR_HOST_JOBS).stream().map(HostJob::parse).forEach(j -> jobs.put(j.host(), j));
    Map<String, String> jobIds = new LinkedHashMap<>();
    jobs.forEach((host, j) -> jobIds.put(host, j.jobId()));
    Map<String, DetachedStatus> statuses = new LinkedHashMap<>(hosts.detachedStatuses(site.id(), jobIds));
    if (retriedByPerson) {
      // the operator retried the incident: the failed hosts' commands run again, each as a new job
      Map<String, String> again = new LinkedHashMap<>();
      statuses.forEach((host, st) -> {
        if (st.state() == DetachedStatus.State.FAILED && plan.containsKey(host)) {
          HostJob next = new HostJob(host, StartHostCommands.jobId(execution, step, jobs.get(host).attempt() + 1),
              jobs.get(host).attempt() + 1);
          jobs.put(host, next);
          again.put(host, next.jobId());
        }
      });
      if (!again.isEmpty()) {
        statuses.putAll(hosts.startDetachedOnEach(site.id(), again, plan));
      }
    }
    List<String> running = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    jobs.forEach((host, job) -> {
      DetachedStatus s = statuses.get(host);
      switch (s.state()) {
        case NOT_STARTED, RUNNING -> running.add(host);
        case FAILED -> failed.add(host + ": " + (s.exitStatus() == null ? "no exit status" : "exit " + s.exitStatus())
            + tail(s.logTail()));
        case SUCCEEDED -> { }
      }
      summary.add(host + ": " + s.state() + (s.exitStatus() == null ? "" : " (exit " + s.exitStatus() + ")")
          + tail(s.logTail()));
    });
    v.set(RunHostCommandsIds.VAR_HOST_JOBS, jobs.values().stream().map(HostJob::entry).toList());
    // kept in the step's history: what each host did, exit statuses and the end of each log
    v.set(HOST_STEP_RESULT, String.join("\n", summary));
    Date deadline = retriedByPerson ? StartHostCommands.deadline(ssh) : v.date(RunHostCommandsIds.VAR_HOST_COMMANDS_DEADLINE);
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DEADLINE, deadline);
    if (running.isEmpty() && !failed.isEmpty()) {
      throw new IllegalStateException(step + " failed on " + failed.size() + " host(s): " + String.join(" | ", failed)
          + " (retry the incident to run the failed hosts' commands again)");
    }
    if (!running.isEmpty() && deadline != null && !ClockUtil.getCurrentTime().before(deadline)) {
      throw new IllegalStateException(step + ": still running after " + ssh.detachedTimeout()
          + " (upgrade.ssh.detached-timeout) on " + running + (failed.isEmpty() ? "" : "; failed: " + String.join(" | ", failed))
          + " (retry the incident to wait again; the commands keep running on the hosts)");
    }
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DONE, running.isEmpty());
  }

  /**
   * Whether this job is an operator's retry of an incident (Cockpit sets the retries of a job whose
   * incident it then resolves); the engine's own retries after a failure resolve none.
   */
  static boolean retriedAfterIncident(DelegateExecution execution) {
    var services = execution.getProcessEngineServices();
    Job job = services.getManagementService().createJobQuery().processInstanceId(execution.getProcessInstanceId())
        .activityId(execution.getCurrentActivityId()).singleResult();
    return job != null && services.getHistoryService().createHistoricIncidentQuery().configuration(job.getId())
        .resolved().count() > 0;
  }

  private static String tail(String log) {
    if (log == null || log.isBlank()) {
      return "";
    }
    List<String> lines = log.strip().lines().toList();
    return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
  }
}
