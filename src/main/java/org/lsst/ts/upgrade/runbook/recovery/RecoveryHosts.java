package org.lsst.ts.upgrade.runbook.recovery;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds.*;
import static org.lsst.ts.upgrade.runbook.recovery.RecoverSummitHostsIds.*;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.lsst.ts.upgrade.hosts.HostResult;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Host;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The host steps of {@code os-k8s-recovery} that are short SSH commands: reboot a host (record its
 * boot id, then {@code sudo reboot}), and check whether it is back (polled from a BPMN timer, never waited
 * for on an engine thread). A rebooted host is back when it answers with another boot id than
 * before the reboot: merely answering could be the host not gone down yet. (Restarting a host's CSCs
 * may take minutes: it is a detached host step, {@code run-host-commands} with {@code RESTART_HOST}.)
 */
@Configuration(proxyBeanMethods = false)
public class RecoveryHosts {
  public static final int SUMMARY_LINES = 5;

  @Bean
  public JavaDelegate rebootHost(RemoteHosts hosts, Sites sites) {
    return execution -> {
      RunVariables v = RunVariables.of(execution);
      Site site = sites.require(v.site());
      Host h = host(site, v.string(VAR_REBOOT_HOST));
      // one request per run and host: the host keeps its boot id before the reboot, so a retried step
      // (after a failure or a crash that rolled back this transaction) does not reboot it twice
      RemoteHosts.Reboot r = hosts.reboot(site.id(), h.name(), "reboot-" + h.name() + "-" + execution.getProcessInstanceId());
      check("reboot " + h.name(), r.result());
      v.set(RecoverSummitHostsIds.VAR_REBOOT_BOOT_ID, r.bootIdBefore());
      v.set(RecoverSummitHostsIds.VAR_REBOOT_HOST_RESULT, r.result().summary(SUMMARY_LINES) + (r.alreadyRebooted()
          ? "\n(already rebooted by an earlier attempt of this step: not rebooted again)" : ""));
      Duration timeout = Duration.parse(v.stringOr(VAR_HOST_BACK_TIMEOUT, DEFAULT_HOST_BACK_TIMEOUT));
      v.set(VAR_HOST_BACK_DEADLINE, new Date(ClockUtil.getCurrentTime().getTime() + timeout.toMillis()));
      v.set(VAR_HOST_BACK, false);
      v.set(VAR_HOST_BACK_TIMED_OUT, false);
    };
  }

  @Bean
  public JavaDelegate checkHostBack(RemoteHosts hosts, Sites sites) {
    return execution -> {
      RunVariables v = RunVariables.of(execution);
      Site site = sites.require(v.site());
      Host h = host(site, v.string(VAR_REBOOT_HOST));
      String before = v.stringOr(RecoverSummitHostsIds.VAR_REBOOT_BOOT_ID, null);
      Optional<String> now = hosts.bootId(site.id(), h.name());
      // a run rebooted before boot ids were recorded has only reachability to go by
      boolean back = now.isPresent() && !now.get().equals(before);
      v.set(VAR_HOST_BACK, back);
      Date deadline = v.date(VAR_HOST_BACK_DEADLINE);
      v.set(VAR_HOST_BACK_TIMED_OUT, !back && deadline != null && !ClockUtil.getCurrentTime().before(deadline));
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
