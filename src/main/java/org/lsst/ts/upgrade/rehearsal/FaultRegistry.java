package org.lsst.ts.upgrade.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Faults injected into the twin (through {@code /rehearsal/faults} or tests). Twin servers consult
 * it on every request: a matching fault is returned (and used up if it has a count).
 */
@Component
@Profile("rehearsal")
public class FaultRegistry {

  /**
   * @param system the twin system ({@code love}, {@code argocd}, {@code ssh}, ...)
   * @param target what it applies to ({@code *} for anything), e.g. a host name or an app
   * @param kind the fault, as the system understands it ({@code http-500}, {@code down}, ...)
   * @param times how many times it fires (0: until cleared)
   */
  public record Fault(long id, String site, String system, String target, String kind, Map<String, String> params, int times) {}

  private final AtomicLong ids = new AtomicLong();
  private final List<Fault> faults = new ArrayList<>();
  private final Map<Long, Integer> fired = new java.util.HashMap<>();

  public synchronized Fault inject(String site, String system, String target, String kind, Map<String, String> params, int times) {
    Fault f = new Fault(ids.incrementAndGet(), site, system, target == null ? "*" : target, kind,
        params == null ? Map.of() : Map.copyOf(params), Math.max(0, times));
    faults.add(f);
    return f;
  }

  /** The first fault matching this request, if any; consumes one firing of a counted fault. */
  public Optional<Fault> consult(String site, String system, String target) {
    return consult(site, system, target, null);
  }

  /** Like {@link #consult(String, String, String)} but only faults of the given kind (null: any). */
  public synchronized Optional<Fault> consult(String site, String system, String target, String kind) {
    return consult(site, system, target, kind, f -> true);
  }

  /** Like {@link #consult(String, String, String, String)} but only faults that apply (a fault that does not is not used up). */
  public synchronized Optional<Fault> consult(String site, String system, String target, String kind,
      java.util.function.Predicate<Fault> applies) {
    for (Fault f : faults) {
      if ((kind == null || f.kind().equals(kind)) && (f.site() == null || f.site().equals(site))
          && f.system().equals(system) && ("*".equals(f.target()) || f.target().equals(target)) && applies.test(f)) {
        int n = fired.merge(f.id(), 1, Integer::sum);
        if (f.times() > 0 && n >= f.times()) {
          faults.remove(f);
          fired.remove(f.id());
        }
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public synchronized List<Fault> list() {
    return new ArrayList<>(faults);
  }

  public synchronized boolean remove(long id) {
    fired.remove(id);
    return faults.removeIf(f -> f.id() == id);
  }

  /** Removes the faults injected for this site (faults for every site stay). */
  public synchronized void clear(String site) {
    faults.removeIf(f -> {
      boolean match = site.equals(f.site());
      if (match) {
        fired.remove(f.id());
      }
      return match;
    });
  }

  public synchronized void clear() {
    faults.clear();
    fired.clear();
  }
}
