package org.lsst.ts.upgrade.runbook.hoststeps;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.hosts.DetachedStatus;
import org.lsst.ts.upgrade.hosts.RemoteHostException;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.hosts.SshProperties;
import org.lsst.ts.upgrade.runbook.BpmnErrors;
import org.lsst.ts.upgrade.runbook.Durations;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.hoststeps.StartHostCommands.HostJob;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * One poll of a host step's detached jobs (from the timer loop of {@code run-host-commands}). When
 * every host has ended and one failed, when a person chose to stop waiting ("running longer than
 * usual"), or when a host is still running at the deadline ({@code upgrade.ssh.detached-timeout}),
 * the step goes to a person (BPMN error {@code HOST_STEP_FAILED}): retry, done by hand or abort,
 * with each host's exit status and the end of its log. A host that cannot be asked (SSH) is a
 * technical failure: retries, then an incident whose retry looks again (nothing runs twice).
 */
@Component
public class CheckHostCommands implements JavaDelegate {
  static final int LOG_LINES = 15;

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
    String label = v.stringOr(RunHostCommandsIds.VAR_HOST_STEP_LABEL, step.name());
    Site site = sites.require(v.site());
    Map<String, HostJob> jobs = jobs(v);
    Map<String, DetachedStatus> statuses = statuses(hosts, site.id(), jobs, label, "read the state of");
    List<String> running = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    jobs.forEach((host, job) -> {
      DetachedStatus s = statuses.get(host);
      switch (s.state()) {
        case NOT_STARTED, RUNNING -> running.add(host);
        case FAILED -> failed.add(host);
        case SUCCEEDED -> { }
      }
      summary.add(host + ": " + s.state() + (s.exitStatus() == null ? "" : " (exit " + s.exitStatus() + ")")
          + indented(s.logTail()));
    });
    // kept in the step's history: what each host did, exit statuses and the end of each log
    v.set(HOST_STEP_RESULT, String.join("\n", summary));
    v.set(RunHostCommandsIds.VAR_HOSTS_RUNNING, running);
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DONE, false);
    if (running.isEmpty()) {
      execution.removeVariable(RunHostCommandsIds.VAR_HOST_STEP_STOP_REQUESTED_BY);
      if (!failed.isEmpty()) {
        fail(v, label, failed, List.of(), statuses, jobs, label + " failed on " + failed.size() + " of " + jobs.size()
            + " host(s): " + String.join(", ", failed) + ".");
      }
      v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DONE, true);
      return;
    }
    if (v.has(RunHostCommandsIds.VAR_HOST_STEP_STOP_REQUESTED_BY)) {
      // a person chose "stop waiting" in the "running longer than usual" task: the failure task decides
      String who = v.string(RunHostCommandsIds.VAR_HOST_STEP_STOP_REQUESTED_BY);
      execution.removeVariable(RunHostCommandsIds.VAR_HOST_STEP_STOP_REQUESTED_BY);
      fail(v, label, failed, running, statuses, jobs, label + " ran longer than usual and " + who
          + " chose to stop waiting for it; still running on " + String.join(", ", running)
          + (failed.isEmpty() ? "" : ", failed on " + String.join(", ", failed))
          + ". The commands still running go on on their hosts: stop them there if they must not finish.");
    }
    Date deadline = v.date(RunHostCommandsIds.VAR_HOST_COMMANDS_DEADLINE);
    if (deadline != null && !ClockUtil.getCurrentTime().before(deadline)) {
      fail(v, label, failed, running, statuses, jobs, label + " still running after "
          + Durations.human(ssh.detachedTimeout()) + " (upgrade.ssh.detached-timeout) on " + String.join(", ", running)
          + (failed.isEmpty() ? "" : ", failed on " + String.join(", ", failed))
          + ". The commands go on on their hosts: a retry waits for them again.");
    }
  }

  static Map<String, HostJob> jobs(RunVariables v) {
    Map<String, HostJob> jobs = new LinkedHashMap<>();
    v.list(RunHostCommandsIds.VAR_HOST_JOBS).stream().map(HostJob::parse).forEach(j -> jobs.put(j.host(), j));
    return jobs;
  }

  /** Each host's job state; a host that cannot be asked is an incident that says where and what next. */
  static Map<String, DetachedStatus> statuses(RemoteHosts hosts, String site, Map<String, HostJob> jobs, String label,
      String doing) {
    Map<String, String> jobIds = new LinkedHashMap<>();
    jobs.forEach((host, j) -> jobIds.put(host, j.jobId()));
    try {
      return new LinkedHashMap<>(hosts.detachedStatuses(site, jobIds));
    } catch (RemoteHostException e) {
      throw new IllegalStateException(label + ": could not " + doing + " the commands on the hosts over SSH: "
          + e.getMessage() + ". The commands go on on the hosts meanwhile. Check that the host is up and reachable"
          + " over SSH from the orchestrator, then Retry this incident in Cockpit: it looks again, nothing runs twice.", e);
    }
  }

  /** The failure task's text: what happened, each host not done with its exit status and the end of its log. */
  private void fail(RunVariables v, String label, List<String> failed, List<String> running,
      Map<String, DetachedStatus> statuses, Map<String, HostJob> jobs, String what) {
    StringBuilder t = new StringBuilder(what);
    List<String> notDone = new ArrayList<>(failed);
    notDone.addAll(running);
    for (String host : notDone) {
      DetachedStatus s = statuses.get(host);
      t.append("\n\n**").append(host).append("**: ").append(s.state() == DetachedStatus.State.FAILED
          ? (s.exitStatus() == null ? "failed, no exit status" : "failed, exit " + s.exitStatus()) : "still running")
          .append(" (log on the host: `").append(ssh.jobDir().startsWith("/") ? "" : "~/").append(ssh.jobDir()).append('/').append(jobs.get(host).jobId()).append("/log`)");
      String tail = tail(s.logTail());
      t.append(tail.isEmpty() ? "; its log is empty." : ", the end of its log (stdout and stderr):\n```\n" + tail + "\n```");
    }
    List<String> done = jobs.keySet().stream().filter(h -> !notDone.contains(h)).toList();
    if (!done.isEmpty()) {
      t.append("\n\nDone: ").append(String.join(", ", done)).append('.');
    }
    v.set(RunHostCommandsIds.VAR_HOST_STEP_FAILURE_TEXT, t.toString());
    v.set(RunHostCommandsIds.VAR_HOSTS_NOT_DONE, notDone);
    throw new BpmnError(BpmnErrors.HOST_STEP_FAILED, what);
  }

  private static String tail(String log) {
    if (log == null || log.isBlank()) {
      return "";
    }
    List<String> lines = log.strip().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())).replace("```", "'''");
  }

  private static String indented(String log) {
    String t = tail(log);
    return t.isEmpty() ? "" : "\n  " + t.replace("\n", "\n  ");
  }
}
