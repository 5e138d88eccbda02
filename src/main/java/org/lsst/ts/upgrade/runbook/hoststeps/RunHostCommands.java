package org.lsst.ts.upgrade.runbook.hoststeps;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.recovery.RecoveryHosts;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.hosts.HostResult;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.BranchInput;
import org.lsst.ts.upgrade.site.Site.Host;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One host step of the runbook (local input {@code hostStep}), on every host the site file gives
 * for it, hosts in parallel. The commands are the site file's (idempotent: stop a stopped service,
 * update a repository to the branch it is on). Any host failing is a technical failure: retries,
 * then an incident naming each host and command that failed.
 */
@Component
public class RunHostCommands implements JavaDelegate {
  private static final Logger log = LoggerFactory.getLogger(RunHostCommands.class);

  public enum Step { CAMERA_SHUTDOWN, BARE_METAL_SHUTDOWN, BARE_METAL_STARTUP, UPDATE_REPOS, ESS_UPDATE, CRIO_STARTUP, CRIO_RECOVERY }

  private final RemoteHosts hosts;
  private final Sites sites;

  public RunHostCommands(RemoteHosts hosts, Sites sites) {
    this.hosts = hosts;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Step step = Step.valueOf(v.string(HOST_STEP));
    Site site = sites.require(v.site());
    Map<String, List<HostCommand>> plan = plan(step, site, v);
    if (plan.isEmpty()) {
      return;
    }
    List<HostResult> results = hosts.runOnEach(site.id(), plan);
    // kept in the step's history (a local of its scope): what each host did, exit statuses and first lines
    v.setLocal(HOST_STEP_RESULT, results.stream().map(r -> r.summary(RecoveryHosts.SUMMARY_LINES))
        .collect(Collectors.joining("\n")));
    List<String> failures = new ArrayList<>();
    for (HostResult r : results) {
      if (!r.ok()) {
        String failed = r.error() != null ? r.error() : r.commands().stream().filter(c -> !c.ok())
            .map(c -> "'" + c.command() + "' exited " + c.exitStatus() + (c.stderr() == null || c.stderr().isBlank()
                ? "" : ": " + c.stderr().strip()))
            .collect(Collectors.joining("; "));
        failures.add(r.host() + ": " + failed);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(step + " failed on " + failures.size() + " host(s): "
          + String.join(" | ", failures));
    }
  }

  /** The commands of a step per host (also the plan's list of SSH commands). */
  public static Map<String, List<HostCommand>> plan(Step step, Site site, RunVariables v) {
    Map<String, List<HostCommand>> plan = new LinkedHashMap<>();
    switch (step) {
      case CAMERA_SHUTDOWN -> SitePlan.cameraHosts(site).forEach(h -> plan.put(h.name(), commands(h.shutdown())));
      case BARE_METAL_SHUTDOWN -> SitePlan.bareMetalShutdownHosts(site).forEach(h -> plan.put(h.name(), commands(h.shutdown())));
      case BARE_METAL_STARTUP -> SitePlan.bareMetalStartupHosts(site).forEach(h -> plan.put(h.name(), commands(h.startup())));
      case CRIO_STARTUP -> SitePlan.crios(site).stream().filter(h -> !h.startup().isEmpty())
          .forEach(h -> plan.put(h.name(), commands(h.startup())));
      case CRIO_RECOVERY -> SitePlan.criosToRecover(site).forEach(h -> plan.put(h.name(), commands(h.startup())));
      case UPDATE_REPOS -> SitePlan.repoHosts(site).forEach(h -> {
        List<HostCommand> updates = updates(h, v);
        if (!updates.isEmpty()) {
          plan.put(h.name(), updates);
        }
      });
      case ESS_UPDATE -> SitePlan.essControllers(site).forEach(h -> {
        List<HostCommand> c = new ArrayList<>(commands(h.shutdown()));
        c.addAll(updates(h, v));
        c.addAll(commands(h.startup()));
        plan.put(h.name(), c);
      });
    }
    return plan;
  }

  private static List<HostCommand> commands(List<String> templates) {
    return templates.stream().map(HostCommand::of).toList();
  }

  /** {@code update_repo <repo> <branch>} per repository whose branch the run names; others are left alone. */
  private static List<HostCommand> updates(Host h, RunVariables v) {
    List<HostCommand> out = new ArrayList<>();
    if (h.update() == null) {
      return out;
    }
    for (var repo : h.repos()) {
      String branch = v.stringOr(repo.branch() == BranchInput.LOVE_INTEGRATION_TOOLS
          ? LOVE_INTEGRATION_TOOLS_BRANCH : DOCKER_COMPOSE_OPS_BRANCH, null);
      if (branch == null || branch.isBlank()) {
        log.warn("Run {}: no branch given for {} on {}; repository left as it is", v.runId(), repo.path(), h.name());
        continue;
      }
      out.add(new HostCommand(h.update(), Map.of("repo", repo.path(), "branch", branch)));
    }
    return out;
  }
}
