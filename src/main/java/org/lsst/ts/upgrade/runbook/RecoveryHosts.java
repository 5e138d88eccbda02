package org.lsst.ts.upgrade.runbook;

import static org.lsst.ts.upgrade.runbook.OsK8sRecoveryIds.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.hosts.HostCommand;
import org.lsst.ts.upgrade.hosts.HostResult;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Host;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The host steps of {@code os-k8s-recovery}: restart a host's CSCs (its site-file shutdown, then
 * startup), reboot a host, and check whether it is back (polled from a BPMN timer, never waited
 * for on an engine thread).
 */
@Configuration(proxyBeanMethods = false)
class RecoveryHosts {

  @Bean
  JavaDelegate restartHostCscs(RemoteHosts hosts, Sites sites) {
    return execution -> {
      RunVariables v = RunVariables.of(execution);
      Site site = sites.require(v.site());
      Host h = host(site, v.string(RESTART_HOST));
      List<HostCommand> commands = new ArrayList<>();
      h.shutdown().forEach(c -> commands.add(HostCommand.of(c)));
      h.startup().forEach(c -> commands.add(HostCommand.of(c)));
      check("restart the CSCs on " + h.name(), hosts.run(site.id(), h.name(), commands));
    };
  }

  @Bean
  JavaDelegate rebootHost(RemoteHosts hosts, Sites sites) {
    return execution -> {
      RunVariables v = RunVariables.of(execution);
      Site site = sites.require(v.site());
      Host h = host(site, v.string(REBOOT_HOST));
      check("reboot " + h.name(), hosts.reboot(site.id(), h.name()));
      Duration timeout = Duration.parse(v.stringOr(HOST_BACK_TIMEOUT, DEFAULT_HOST_BACK_TIMEOUT));
      v.set(HOST_BACK_DEADLINE, new Date(ClockUtil.getCurrentTime().getTime() + timeout.toMillis()));
      v.set(HOST_BACK, false);
      v.set(HOST_BACK_TIMED_OUT, false);
    };
  }

  @Bean
  JavaDelegate checkHostBack(RemoteHosts hosts, Sites sites) {
    return execution -> {
      RunVariables v = RunVariables.of(execution);
      Site site = sites.require(v.site());
      Host h = host(site, v.string(REBOOT_HOST));
      boolean back = hosts.reachable(site.id(), h.name());
      v.set(HOST_BACK, back);
      Date deadline = v.date(HOST_BACK_DEADLINE);
      v.set(HOST_BACK_TIMED_OUT, !back && deadline != null && !ClockUtil.getCurrentTime().before(deadline));
    };
  }

  static Host host(Site site, String name) {
    return site.host(name).orElseThrow(() -> new IllegalStateException("site " + site.id() + " has no host '"
        + name + "' in its site file"));
  }

  static void check(String what, HostResult r) {
    if (!r.ok()) {
      String failed = r.error() != null ? r.error() : r.commands().stream().filter(c -> !c.ok())
          .map(c -> "'" + c.command() + "' exited " + c.exitStatus()).collect(Collectors.joining("; "));
      throw new IllegalStateException("Could not " + what + ": " + failed);
    }
  }

}
