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
  }
}
