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
  /** The expectation token for a live process ({@code runbook.monitor.CheckCscStates.ALIVE}). */
  public static final String ALIVE = "ALIVE";
  /** A camera bridge up: heartbeating, in OFFLINE (OFFLINE_AVAILABLE) or STANDBY. */
  static final String CAMERA_UP = ALIVE + "|" + SummaryState.OFFLINE.name() + "|" + SummaryState.STANDBY.name();

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
   * The cRIOs of the held CSCs (Summit: m1m3-crio-ss for MTM1M3, m1m3-crio-ts for MTM1M3TS), which
   * {@link #crios} leaves out: the run never stops them (their CSCs keep their state), so when a
   * cycle needs them rebuilt the people responsible do it, with these hosts' commands, and the run
   * waits for them ({@code update-crios}: a user task). Listed in the plan.
   */
  public static List<Host> heldCrios(Site site) {
    Set<String> held = heldHostNames(site);
    return site.hostsWithRole(HostRole.CRIO).stream().filter(h -> held.contains(h.name()))
        .filter(h -> !h.rebuild().isEmpty()).toList();
  }

  /** The exact commands for each held cRIO, for the people responsible: stop, rebuild, start, then the hold state again. */
  public static String heldCriosText(Site site) {
    List<Host> hosts = heldCrios(site);
    if (hosts.isEmpty()) {
      return "This site has no cRIOs of held CSCs.";
    }
    StringBuilder s = new StringBuilder();
    for (Host h : hosts) {
      String csc = h.cscs().stream().map(CscId::toString).collect(Collectors.joining(", "));
      String hold = held(site).stream().filter(c -> h.name().equals(c.host()) || h.cscs().contains(c.id()))
          .map(c -> c.id() + " " + c.holdState()).collect(Collectors.joining(", "));
      s.append("**").append(h.hostname() == null ? h.name() : h.hostname()).append("** (").append(csc)
          .append("), as ").append(h.user() == null ? "its user" : "`" + h.user() + "`")
          .append(", in one shell session:\n\n```\n");
      h.shutdown().forEach(c -> s.append(c).append('\n'));
      h.rebuild().forEach(c -> s.append(c).append('\n'));
      h.startup().forEach(c -> s.append(c).append('\n'));
      s.append("```\n\nthen back to ").append(hold).append(" (LOVE).\n\n");
    }
    return s.toString().trim();
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
   * camera bridges alive (heartbeating) in OFFLINE (OFFLINE_AVAILABLE) or STANDBY; every other CSC STANDBY.
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
        // a bridge that is gone is not OFFLINE_AVAILABLE: it must heartbeat
        expected = CAMERA_UP;
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
   * expectation of {@link #monitorExpectations} also accepts DISABLED and ENABLED; self-enabling
   * CSCs keep their exact state. Held CSCs are up when they are STANDBY, DISABLED or ENABLED:
   * starting their cRIOs brings them up in STANDBY, and the recovery puts them back in their held
   * state right after the monitor ({@link #recoveryFinalStates}).
   */
  public static List<String> recoveryExpectations(Site site) {
    String up = String.join("|", SummaryState.STANDBY.name(), SummaryState.DISABLED.name(), SummaryState.ENABLED.name());
    return monitorExpectations(site).stream().map(e -> {
      int eq = e.indexOf('=');
      String states = e.substring(eq + 1);
      CscId id = CscId.parse(e.substring(0, eq));
      if (states.equals(SummaryState.STANDBY.name()) || site.csc(id).map(c -> c.holdState() != null).orElse(false)) {
        return e.substring(0, eq + 1) + up;
      }
      if (states.equals(CAMERA_UP)) {
        return e.substring(0, eq + 1) + ALIVE + "|" + SummaryState.OFFLINE.name() + "|" + up;
      }
      return e;
    }).toList();
  }

  /**
   * What the recovery sets at its end ({@code set_summary_state.py}): the held CSCs back in their
   * held state (MTM1M3TS ENABLED, MTM1M3 DISABLED), then the site's {@code enable-at-end} list; on a
   * site that returns every CSC to ENABLED after maintenance ({@link Site#enablesAllAfterRecovery},
   * the Tucson test stand) every other CSC ENABLED instead, except those that enable themselves on
   * start and the camera bridges (the camera team's, see the camera pages).
   */
  public static List<Site.StateRequest> recoveryFinalStates(Site site) {
    List<Site.StateRequest> out = new ArrayList<>();
    held(site).forEach(c -> out.add(new Site.StateRequest(c.id().toString(), c.holdState().name())));
    if (!site.enablesAllAfterRecovery()) {
      out.addAll(site.enableAtEnd());
      return out;
    }
    Set<CscId> cameras = cameraCscs(site);
    for (Csc c : site.cscs()) {
      if (c.holdState() == null && !cameras.contains(c.id()) && !site.enabledOnStart().contains(c.id())) {
        out.add(new Site.StateRequest(c.id().toString(), SummaryState.ENABLED.name()));
      }
    }
    return out;
  }

  /**
   * {@link #recoveryFinalStates} as await expectations (wildcards expanded as in
   * {@link #enableExpectations}); with {@link Site#enablesAllAfterRecovery} the CSCs that enable
   * themselves on start are awaited ENABLED too.
   */
  public static List<String> recoveryFinalExpectations(Site site) {
    List<Site.StateRequest> states = new ArrayList<>(recoveryFinalStates(site));
    if (site.enablesAllAfterRecovery()) {
      site.enabledOnStart().forEach(id -> states.add(new Site.StateRequest(id.toString(), SummaryState.ENABLED.name())));
    }
    return expectations(states, site);
  }

  /**
   * The site's {@code enable-at-end} list as await expectations ({@code ESS:104=ENABLED}); a
   * wildcard entry ({@code ESS:*}) stands for every instance of that component in the site's inventory.
   */
  public static List<String> enableExpectations(Site site) {
    return expectations(site.enableAtEnd(), site);
  }

  private static List<String> expectations(List<Site.StateRequest> requests, Site site) {
    java.util.Map<CscId, String> wanted = new java.util.LinkedHashMap<>();
    for (Site.StateRequest r : requests) {
      String state = SummaryState.valueOf(r.state()).name();
      if (r.csc().endsWith(":*")) {
        String component = r.csc().substring(0, r.csc().length() - 2);
        site.cscIds().stream().filter(id -> id.component().equals(component)).forEach(id -> wanted.put(id, state));
      } else {
        wanted.put(CscId.parse(r.csc()), state);
      }
    }
    return wanted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
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
