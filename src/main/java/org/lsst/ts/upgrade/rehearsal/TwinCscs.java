package org.lsst.ts.upgrade.rehearsal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Behaviour;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The twin's CSCs: one simulated process per CSC in each site's inventory, with the SAL state
 * machine and the odd behaviours seen at the Summit. Twin servers act on it (a ScriptQueue script
 * sends commands, a deleted Job kills the process, an Argo CD sync launches it); the Kafka side
 * publishes what it does through {@link Listener}s (heartbeat while {@code beating}, summaryState
 * on change).
 */
@Component
@Profile("rehearsal")
public class TwinCscs {

  /** Told of every change; called on the thread that made it. */
  public interface Listener {
    void summaryState(String site, CscId id, SummaryState state);

    void beating(String site, CscId id, boolean beating);
  }

  /** Result of a SAL command: ok, or failed with the reason salobj would give. */
  public record CommandResult(boolean ok, String message) {
    static CommandResult done() {
      return new CommandResult(true, "Done");
    }

    static CommandResult failed(String why) {
      return new CommandResult(false, why);
    }
  }

  /** A simulated CSC process. */
  public static final class SimulatedCsc {
    private final String site;
    private final CscId id;
    private volatile SummaryState state;
    private volatile boolean beating;
    private volatile Behaviour behaviour;
    private final SummaryState startState;
    private final SummaryState initialState;
    private final Behaviour initialBehaviour;

    SimulatedCsc(String site, CscId id, SummaryState state, boolean beating, Behaviour behaviour, SummaryState startState) {
      this.site = site;
      this.id = id;
      this.state = state;
      this.beating = beating;
      this.behaviour = behaviour;
      this.startState = startState;
      this.initialState = state;
      this.initialBehaviour = behaviour;
    }

    public String site() { return site; }
    public CscId id() { return id; }
    /** The state it reports (last summaryState published). */
    public SummaryState state() { return state; }
    /** Whether it publishes heartbeats (its process is alive and well). */
    public boolean beating() { return beating; }
    public Behaviour behaviour() { return behaviour; }
  }

  private final Map<String, Map<CscId, SimulatedCsc>> cscs = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final LatencyModel latency;
  private final ActionLog actions;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "twin-cscs");
    t.setDaemon(true);
    return t;
  });

  public TwinCscs(SimulatedSites sites, LatencyModel latency, ActionLog actions) {
    this.latency = latency;
    this.actions = actions;
    for (Site site : sites.all()) {
      Map<CscId, SimulatedCsc> m = new ConcurrentHashMap<>();
      for (Site.Csc c : site.cscs()) {
        SummaryState start = site.enabledOnStart().contains(c.id()) ? SummaryState.ENABLED : SummaryState.STANDBY;
        // before an upgrade the site is in operation: CSCs held in a state start in it, the rest ENABLED
        SummaryState initial = c.holdState() != null ? c.holdState() : SummaryState.ENABLED;
        m.put(c.id(), new SimulatedCsc(site.id(), c.id(), initial, true, c.behaviour(), start));
      }
      cscs.put(site.id(), m);
    }
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  public List<SimulatedCsc> all(String site) {
    return site(site).values().stream().sorted(java.util.Comparator.comparing(SimulatedCsc::id)).toList();
  }

  public SimulatedCsc get(String site, CscId id) {
    SimulatedCsc c = site(site).get(id);
    if (c == null) {
      throw new IllegalArgumentException("the twin of site '" + site + "' has no CSC " + id);
    }
    return c;
  }

  public void setBehaviour(String site, CscId id, Behaviour behaviour) {
    get(site, id).behaviour = behaviour;
    actions.record(site, "csc", site + "/" + id, "set-behaviour", Map.of("behaviour", behaviour.name()));
  }

  /**
   * Puts every CSC of the site back as the twin started it (in operation: running, in its initial
   * state, with the site file's behaviour), publishing the changes as a real site would.
   */
  public void reset(String site) {
    for (SimulatedCsc c : site(site).values()) {
      synchronized (c) {
        c.behaviour = c.initialBehaviour;
        if (!c.beating) {
          c.beating = true;
          listeners.forEach(l -> l.beating(site, c.id, true));
        }
        setState(c, c.initialState);
      }
    }
  }

  /**
   * Its process is started (Job created, service started): after the latency model's start time
   * it beats and reports its start state (STANDBY, or ENABLED for self-enabling CSCs); one that
   * FAILS_TO_START never comes up. Starting a running process does nothing.
   */
  public void launch(String site, CscId id) {
    SimulatedCsc c = get(site, id);
    actions.record(site, "csc", site + "/" + id, "launch", Map.of());
    scheduler.schedule(() -> {
      synchronized (c) {
        if (c.beating || c.behaviour == Behaviour.FAILS_TO_START) {
          return;
        }
        c.beating = true;
        listeners.forEach(l -> l.beating(site, id, true));
        setState(c, c.startState);
      }
    }, latency.of("csc.start").toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Its process is gone (Job deleted, service stopped): heartbeats stop, no OFFLINE event. */
  public void kill(String site, CscId id) {
    SimulatedCsc c = get(site, id);
    synchronized (c) {
      if (c.beating) {
        c.beating = false;
        actions.record(site, "csc", site + "/" + id, "killed", Map.of());
        listeners.forEach(l -> l.beating(site, id, false));
      }
    }
  }

  /**
   * Applies a SAL state command ({@code start}, {@code enable}, {@code disable}, {@code standby},
   * {@code exitControl}) with salobj's transition rules and the CSC's behaviour. Returns at once;
   * callers simulate the command's duration themselves.
   */
  public CommandResult command(String site, CscId id, String command) {
    SimulatedCsc c = get(site, id);
    synchronized (c) {
      actions.record(site, "csc", site + "/" + id, command, Map.of("from", c.state.name()));
      if (!c.beating) {
        return CommandResult.failed("No ack from " + id + ": it is not running (no heartbeat)");
      }
      SummaryState s = c.state;
      switch (command) {
        case "start":
          return s == SummaryState.STANDBY ? to(c, SummaryState.DISABLED) : notAllowed(command, s);
        case "enable":
          if (s != SummaryState.DISABLED) {
            return notAllowed(command, s);
          }
          if (c.behaviour == Behaviour.FAULTS_ON_ENABLE) {
            setState(c, SummaryState.FAULT);
            return CommandResult.failed(id + " went to FAULT while enabling");
          }
          return to(c, SummaryState.ENABLED);
        case "disable":
          return s == SummaryState.ENABLED ? to(c, SummaryState.DISABLED) : notAllowed(command, s);
        case "standby":
          return s == SummaryState.DISABLED || s == SummaryState.FAULT ? to(c, SummaryState.STANDBY) : notAllowed(command, s);
        case "exitControl":
          if (s != SummaryState.STANDBY) {
            return notAllowed(command, s);
          }
          return switch (c.behaviour) {
            // seen at the Summit: the command is not acknowledged and the CSC stays STANDBY, beating
            case IGNORES_OFFLINE -> CommandResult.failed("No ack from " + id + " for exitControl: timed out");
            // seen at the Summit: it goes away without reporting OFFLINE
            case VANISHES -> {
              c.beating = false;
              listeners.forEach(l -> l.beating(site, id, false));
              yield CommandResult.done();
            }
            default -> {
              setState(c, SummaryState.OFFLINE);
              c.beating = false;
              listeners.forEach(l -> l.beating(site, id, false));
              yield CommandResult.done();
            }
          };
        default:
          return CommandResult.failed("Unknown command " + command + " for " + id);
      }
    }
  }

  /**
   * Walks the SAL state machine to the target, as {@code set_summary_state.py} does (ENABLED →
   * DISABLED → STANDBY → OFFLINE and back up). Stops at the first failed command.
   */
  public CommandResult transitionTo(String site, CscId id, SummaryState target) {
    if (target == SummaryState.FAULT || target == SummaryState.UNKNOWN) {
      return CommandResult.failed("cannot transition " + id + " to " + target);
    }
    for (int guard = 0; guard < 6; guard++) {
      SimulatedCsc c = get(site, id);
      SummaryState s = c.state;
      if (s == target && (target == SummaryState.OFFLINE || c.beating)) {
        return CommandResult.done();
      }
      String next = nextCommand(s, target);
      if (next == null) {
        return CommandResult.failed("cannot go from " + s + " to " + target);
      }
      CommandResult r = command(site, id, next);
      if (!r.ok()) {
        return r;
      }
      if (!c.beating && target != SummaryState.OFFLINE) {
        return CommandResult.failed(id + " stopped while going to " + target);
      }
      if (!c.beating) {
        return CommandResult.done();
      }
    }
    return CommandResult.failed("too many transitions for " + id);
  }

  private static String nextCommand(SummaryState s, SummaryState target) {
    int rank = rank(s);
    int want = rank(target);
    if (s == SummaryState.FAULT) {
      return "standby";
    }
    if (rank == want) {
      return null;
    }
    if (want > rank) {
      return switch (s) {
        case STANDBY -> "start";
        case DISABLED -> "enable";
        default -> null;
      };
    }
    return switch (s) {
      case ENABLED -> "disable";
      case DISABLED -> "standby";
      case STANDBY -> "exitControl";
      default -> null;
    };
  }

  /** Order along the state machine: OFFLINE < STANDBY < DISABLED < ENABLED. */
  private static int rank(SummaryState s) {
    return switch (s) {
      case OFFLINE -> 0;
      case STANDBY, FAULT, UNKNOWN -> 1;
      case DISABLED -> 2;
      case ENABLED -> 3;
    };
  }

  private CommandResult to(SimulatedCsc c, SummaryState s) {
    setState(c, s);
    return CommandResult.done();
  }

  private static CommandResult notAllowed(String command, SummaryState s) {
    return CommandResult.failed("Command " + command + " not allowed in state " + s);
  }

  private void setState(SimulatedCsc c, SummaryState s) {
    c.state = s;
    listeners.forEach(l -> l.summaryState(c.site, c.id, s));
  }

  private Map<CscId, SimulatedCsc> site(String site) {
    Map<CscId, SimulatedCsc> m = cscs.get(site);
    if (m == null) {
      throw new IllegalArgumentException("the twin has no site '" + site + "'");
    }
    return m;
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }
}
