package org.lsst.ts.upgrade.rehearsal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Every action a simulated system received, with its start and end: the rehearsal's evidence of
 * what the orchestrator did and in which order. Served at {@code GET /rehearsal/actions}.
 */
@Component
@Profile("rehearsal")
public class ActionLog {

  /**
   * @param system {@code love}, {@code argocd}, {@code kubernetes}, {@code ssh}, {@code kafka},
   *     {@code schema-registry}, {@code slack}, {@code csc}
   * @param target what it acted on ({@code summit/ATDome}, {@code summit/azar03}, ...)
   * @param end null while the action is still running
   */
  public record Action(long seq, String site, String system, String target, String action,
      Map<String, Object> params, Instant start, Instant end) {}

  private final Clock clock;
  private final AtomicLong seq = new AtomicLong();
  private final List<Action> actions = new ArrayList<>();

  public ActionLog() {
    this(Clock.systemUTC());
  }

  ActionLog(Clock clock) {
    this.clock = clock;
  }

  /** Records an instantaneous action. */
  public Action record(String site, String system, String target, String action, Map<String, ?> params) {
    Instant now = clock.instant();
    return add(site, system, target, action, params, now, now);
  }

  /** Records an action that began at {@code start} (from {@link #now()}) and has just ended. */
  public Action record(String site, String system, String target, String action, Map<String, ?> params,
      Instant start) {
    return add(site, system, target, action, params, start, clock.instant());
  }

  /** The log's clock, for an action whose end is recorded with its start. */
  public Instant now() {
    return clock.instant();
  }

  /** Records the start of an action that lasts; call {@link Running#end()} when it is over. */
  public Running begin(String site, String system, String target, String action, Map<String, ?> params) {
    Action a = add(site, system, target, action, params, clock.instant(), null);
    return new Running(a);
  }

  /** Handle of an action in progress. */
  public final class Running {
    private final Action started;

    private Running(Action started) {
      this.started = started;
    }

    public void end() {
      Instant now = clock.instant();
      synchronized (actions) {
        for (int i = actions.size() - 1; i >= 0; i--) {
          if (actions.get(i).seq() == started.seq()) {
            Action a = actions.get(i);
            actions.set(i, new Action(a.seq(), a.site(), a.system(), a.target(), a.action(), a.params(), a.start(), now));
            return;
          }
        }
      }
    }
  }

  private Action add(String site, String system, String target, String action, Map<String, ?> params,
      Instant start, Instant end) {
    Map<String, Object> p = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    Action a = new Action(seq.incrementAndGet(), site, system, target, action, p, start, end);
    synchronized (actions) {
      actions.add(a);
    }
    return a;
  }

  /** Actions in the order they started, optionally only one site's (null: all). */
  public List<Action> actions(String site) {
    synchronized (actions) {
      return actions.stream().filter(a -> site == null || site.equals(a.site())).toList();
    }
  }

  public void clear() {
    synchronized (actions) {
      actions.clear();
    }
    synchronized (serving) {
      serving.clear();
    }
  }

  /** How many answered requests {@link #servingTimes} keeps (the oldest go first: a twin runs for days). */
  static final int SERVING_KEPT = 50_000;

  /** A request a simulated system answered, from its arrival to its answer. */
  public record Serving(String site, String system, Instant start, Instant end) {}

  private final java.util.ArrayDeque<Serving> serving = new java.util.ArrayDeque<>();

  /**
   * A simulated system begins answering a request (a read as much as a change): the site's time,
   * but not an action (what was done to the site is {@link #actions}, which reads would drown).
   * Run the returned end once it is answered. The benchmark counts these with the actions.
   */
  public Runnable serving(String site, String system) {
    Instant start = clock.instant();
    return () -> {
      Serving answered = new Serving(site, system, start, clock.instant());
      synchronized (serving) {
        serving.addLast(answered);
        if (serving.size() > SERVING_KEPT) {
          serving.removeFirst();
        }
      }
    };
  }

  /** The answered requests at a site (null: all), in the order they were answered. */
  public List<Serving> servingTimes(String site) {
    synchronized (serving) {
      return serving.stream().filter(r -> site == null || site.equals(r.site())).toList();
    }
  }
}
