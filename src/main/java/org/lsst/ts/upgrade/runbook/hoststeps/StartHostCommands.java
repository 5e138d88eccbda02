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
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.hosts.HostCommandRejectedException;
import org.lsst.ts.upgrade.hosts.RemoteHostException;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.hosts.SshProperties;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Starts a host step's commands detached on each of its hosts (one shell per host, in order, stopping
 * at the first that fails), and returns: {@link CheckHostCommands} polls them from a timer. Starting
 * is idempotent per job id (the called process's instance and an attempt number), so a retried or
 * resumed step starts nothing twice.
 */
@Component
public class StartHostCommands implements JavaDelegate {
  private final RemoteHosts hosts;
  private final Sites sites;
  private final SshProperties ssh;

  public StartHostCommands(RemoteHosts hosts, Sites sites, SshProperties ssh) {
    this.hosts = hosts;
    this.sites = sites;
    this.ssh = ssh;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    RunHostCommands.Step step = RunHostCommands.Step.valueOf(v.string(HOST_STEP));
    Site site = sites.require(v.site());
    v.set(RunHostCommandsIds.VAR_HOST_STEP_LABEL, label(execution, step));
    Map<String, List<HostCommand>> plan = RunHostCommands.plan(step, site, v);
    List<String> jobs = new ArrayList<>();
    Map<String, String> jobIds = new LinkedHashMap<>();
    for (String host : plan.keySet()) {
      jobIds.put(host, jobId(execution, step, 0));
      jobs.add(HostJob.of(host, jobIds.get(host), 0));
    }
    if (!plan.isEmpty()) {
      start(hosts, site.id(), v.string(RunHostCommandsIds.VAR_HOST_STEP_LABEL), "the commands", jobIds, plan);
    }
    v.set(RunHostCommandsIds.VAR_HOST_JOBS, jobs);
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DONE, plan.isEmpty());
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_DEADLINE, deadline(ssh));
    v.set(RunHostCommandsIds.VAR_HOST_COMMANDS_STARTED_AT, ClockUtil.getCurrentTime());
    v.set(RunHostCommandsIds.VAR_HOSTS_RUNNING, new ArrayList<>(plan.keySet()));
  }

  /**
   * Starts the hosts' jobs detached (idempotent per job id); a refused command or an SSH failure is
   * an incident that says what to fix and that a Retry does not start a host twice.
   */
  static void start(RemoteHosts hosts, String site, String label, String what, Map<String, String> jobIds,
      Map<String, List<HostCommand>> plan) {
    try {
      hosts.startDetachedOnEach(site, jobIds, plan);
    } catch (HostCommandRejectedException e) {
      throw new IllegalStateException(label + ": nothing started, a command was refused: " + e.getMessage()
          + ". Fix the site file's commands for this host (or the run's branch input), then Retry this incident"
          + " in Cockpit.", e);
    } catch (RemoteHostException e) {
      throw new IllegalStateException(label + ": could not start " + what + " over SSH: " + e.getMessage()
          + ". Check that the host is up and reachable over SSH from the orchestrator, then Retry this incident in"
          + " Cockpit: hosts already started are not started twice.", e);
    }
  }

  /** "Stop the camera OCS bridges (CAMERA_SHUTDOWN)": the calling step's name, as the stage's diagram shows it. */
  static String label(DelegateExecution execution, RunHostCommands.Step step) {
    var caller = ((ExecutionEntity) execution).getProcessInstance().getSuperExecution();
    String name = caller == null || caller.getActivity() == null ? null : caller.getActivity().getName();
    return name == null || name.isBlank() ? step.name() : name + " (" + step.name() + ")";
  }

  static Date deadline(SshProperties ssh) {
    return new Date(ClockUtil.getCurrentTime().getTime() + ssh.detachedTimeout().toMillis());
  }

  /** {@code hoststep-<step>-<called instance>-<attempt>}: unique per step run, stable across retries. */
  static String jobId(DelegateExecution execution, RunHostCommands.Step step, int attempt) {
    return "hoststep-" + step.name().toLowerCase().replace('_', '-') + "-"
        + execution.getProcessInstanceId().replaceAll("[^A-Za-z0-9_-]", "-") + "-" + attempt;
  }

  /** One host's detached job, as kept in {@link RunHostCommandsIds#VAR_HOST_JOBS}. */
  record HostJob(String host, String jobId, int attempt) {
    static String of(String host, String jobId, int attempt) {
      return host + " " + jobId + " " + attempt;
    }

    static HostJob parse(String entry) {
      String[] p = entry.split(" ");
      if (p.length != 3) {
        throw new IllegalStateException(RunHostCommandsIds.VAR_HOST_JOBS + ": '" + entry + "' is not 'host job-id attempt'");
      }
      return new HostJob(p[0], p[1], Integer.parseInt(p[2]));
    }

    String entry() {
      return of(host, jobId, attempt);
    }
  }
}
