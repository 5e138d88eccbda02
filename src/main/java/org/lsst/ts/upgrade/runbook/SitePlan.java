package org.lsst.ts.upgrade.runbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Csc;
import org.lsst.ts.upgrade.site.Site.Host;
import org.lsst.ts.upgrade.site.Site.HostRole;

/**
 * What the site file says about a run: which hosts each step touches, which CSCs are held, what
 * "up" means for each CSC. The BPMN only branches on the flags derived from here, so no site name
 * appears in it.
 */
public final class SitePlan {
  public static final String SCRIPT_QUEUE = "ScriptQueue";
  public static final String WATCHER = "Watcher";

  private SitePlan() {}

  /** CSCs kept in a state through the whole upgrade (Summit: MTM1M3TS ENABLED, MTM1M3 DISABLED). */
  public static List<Csc> held(Site site) {
    return site.cscs().stream().filter(c -> c.holdState() != null).toList();
  }

  static Set<String> heldHostNames(Site site) {
    Set<String> names = new LinkedHashSet<>();
    for (Csc c : held(site)) {
      if (c.host() != null) {
        names.add(c.host());
      }
    }
    for (Host h : site.hosts()) {
      if (h.cscs().stream().anyMatch(id -> site.csc(id).map(c -> c.holdState() != null).orElse(false))) {
        names.add(h.name());
      }
    }
    return names;
  }

  /** Hosts of the given roles with commands of the kind, minus the hosts of held CSCs. */
  static List<Host> hosts(Site site, List<HostRole> roles, boolean needShutdown, boolean needStartup) {
    Set<String> held = heldHostNames(site);
    return site.hosts().stream()
        .filter(h -> roles.contains(h.role()))
        .filter(h -> !held.contains(h.name()))
        .filter(h -> !needShutdown || !h.shutdown().isEmpty())
        .filter(h -> !needStartup || !h.startup().isEmpty())
        .toList();
  }

  /** Stopped in the clean-up and started after the deployment (the Summit page's bare-metal LOVE included). */
  static final List<HostRole> BARE_METAL_SERVICES =
      List.of(HostRole.TANDS, HostRole.CRIO, HostRole.DATA_LOGGER, HostRole.LOVE);

  public static List<Host> bareMetalShutdownHosts(Site site) {
    return hosts(site, BARE_METAL_SERVICES, true, false);
  }

  public static List<Host> bareMetalStartupHosts(Site site) {
    return hosts(site, BARE_METAL_SERVICES, false, true);
  }

  public static List<Host> cameraHosts(Site site) {
    return site.hostsWithRole(HostRole.CAMERA_MCM);
  }

  public static List<Host> essControllers(Site site) {
    return hosts(site, List.of(HostRole.ESS_CONTROLLER), false, false);
  }

  public static List<Host> crios(Site site) {
    return hosts(site, List.of(HostRole.CRIO), false, false).stream().filter(h -> !h.rebuild().isEmpty()).toList();
  }

  /**
   * Every cRIO with a start command, held ones included: after an OS/Kubernetes upgrade all of
   * them are down (the seed: "the cRIOs for MTM1M3, MTVMS:1, MTVMS:2 and MTM1M3TS need to be started").
   */
  public static List<Host> criosToRecover(Site site) {
    return site.hostsWithRole(HostRole.CRIO).stream().filter(h -> !h.startup().isEmpty()).toList();
  }

  /** Hosts whose configuration repositories are updated in the configuration step (not the ESS controllers). */
  public static List<Host> repoHosts(Site site) {
    return site.hosts().stream()
        .filter(h -> h.role() != HostRole.ESS_CONTROLLER && !h.repos().isEmpty() && h.update() != null)
        .toList();
  }

  public static List<CscId> scriptQueues(Site site) {
    return site.cscIds().stream().filter(id -> id.component().equals(SCRIPT_QUEUE)).toList();
  }

  public static boolean hasWatcher(Site site) {
    return site.cscIds().contains(CscId.of(WATCHER));
  }

  static Set<CscId> cameraCscs(Site site) {
    Set<CscId> ids = new LinkedHashSet<>();
    cameraHosts(site).forEach(h -> ids.addAll(h.cscs()));
    site.cscs().stream()
        .filter(c -> c.host() != null && cameraHosts(site).stream().anyMatch(h -> h.name().equals(c.host())))
        .forEach(c -> ids.add(c.id()));
    return ids;
  }

  /**
   * What the monitor step waits for: held CSCs in their state; the self-enabling ones ENABLED;
   * camera bridges OFFLINE (OFFLINE_AVAILABLE) or STANDBY; every other CSC STANDBY.
   */
  public static List<String> monitorExpectations(Site site) {
    Set<CscId> cameras = cameraCscs(site);
    List<String> out = new ArrayList<>();
    for (Csc c : site.cscs()) {
      String expected;
      if (c.holdState() != null) {
        expected = c.holdState().name();
      } else if (site.enabledOnStart().contains(c.id())) {
        expected = SummaryState.ENABLED.name();
      } else if (cameras.contains(c.id())) {
        expected = SummaryState.OFFLINE.name() + "|" + SummaryState.STANDBY.name();
      } else {
        expected = SummaryState.STANDBY.name();
      }
      out.add(c.id() + "=" + expected);
    }
    return out;
  }

  /**
   * After an OS/Kubernetes upgrade only what was down comes back in STANDBY: a CSC on a host that
   * kept running is still in the state it was in, and that is working order too. So every STANDBY
   * expectation of {@link #monitorExpectations} also accepts DISABLED and ENABLED; held and
   * self-enabling CSCs keep their exact state.
   */
  public static List<String> recoveryExpectations(Site site) {
    String up = String.join("|", SummaryState.STANDBY.name(), SummaryState.DISABLED.name(), SummaryState.ENABLED.name());
    return monitorExpectations(site).stream().map(e -> {
      int eq = e.indexOf('=');
      String states = e.substring(eq + 1);
      if (states.equals(SummaryState.STANDBY.name())) {
        return e.substring(0, eq + 1) + up;
      }
      if (states.equals(SummaryState.OFFLINE.name() + "|" + SummaryState.STANDBY.name())) {
        return e.substring(0, eq + 1) + SummaryState.OFFLINE.name() + "|" + up;
      }
      return e;
    }).toList();
  }

  static String hostList(List<Host> hosts) {
    return hosts.stream().map(h -> h.hostname() == null ? h.name() : h.hostname()).collect(Collectors.joining(", "));
  }

  /**
   * A test stand (BTS, TTS): the site file has a {@code minimal-testing} section and no cRIO hosts.
   * The Summit has both minimal-testing settings and cRIOs; its upgrades end without minimal testing.
   */
  public static boolean testStand(Site site) {
    return site.minimalTesting() != null && crios(site).isEmpty();
  }
}
