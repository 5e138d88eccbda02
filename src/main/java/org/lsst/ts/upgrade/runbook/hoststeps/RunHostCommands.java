package org.lsst.ts.upgrade.runbook.hoststeps;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.BranchInput;
import org.lsst.ts.upgrade.site.Site.Host;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host steps of the runbook (local input {@code hostStep}): which commands run on which host,
 * from the site file (idempotent: stop a stopped service, update a repository to the branch it is
 * on). They run detached on each host and are polled ({@code run-host-commands}: {@link
 * StartHostCommands}, {@link CheckHostCommands}), so no job thread waits for a host.
 */
public final class RunHostCommands {
  private static final Logger log = LoggerFactory.getLogger(RunHostCommands.class);

  public enum Step { CAMERA_SHUTDOWN, BARE_METAL_SHUTDOWN, BARE_METAL_STARTUP, UPDATE_REPOS, ESS_UPDATE, CRIO_STARTUP, CRIO_RECOVERY,
    /** The recovery's restart of one host's CSCs ({@code restartHostName}): its shutdown, then its startup. */
    RESTART_HOST }

  private RunHostCommands() {}

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
      case RESTART_HOST -> {
        String name = v.string(RecoverSummitHostsIds.VAR_RESTART_HOST);
        Host h = site.host(name).orElseThrow(() -> new IllegalStateException("site " + site.id() + " has no host '"
            + name + "' in its site file: add it there (or fix " + RecoverSummitHostsIds.VAR_RESTART_HOST
            + "), then Retry this incident in Cockpit"));
        List<HostCommand> c = new ArrayList<>(commands(h.shutdown()));
        c.addAll(commands(h.startup()));
        plan.put(h.name(), c);
      }
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
