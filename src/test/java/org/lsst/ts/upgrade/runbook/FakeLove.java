package org.lsst.ts.upgrade.runbook;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptRequest;

/**
 * A mocked {@link Love} for engine-level tests: records every script added ({@code queue:path}),
 * answers "still running" at the first look and then the outcome the test chose per path.
 */
final class FakeLove {
  final Love love = mock(Love.class);
  final List<String> added = new ArrayList<>();
  final List<ScriptRequest> requests = new ArrayList<>();
  final Set<String> failing = new HashSet<>();
  final Set<String> hanging = new HashSet<>();
  private final Map<Integer, String> paths = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> looks = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger(100000);

  FakeLove() {
    when(love.addScript(anyString(), anyInt(), any())).thenAnswer(inv -> {
      int queue = inv.getArgument(1);
      ScriptRequest r = inv.getArgument(2);
      int index = next.incrementAndGet();
      synchronized (added) {
        added.add(queue + ":" + r.path());
        requests.add(r);
      }
      paths.put(index, r.path());
      return index;
    });
    when(love.outcome(anyString(), anyInt(), anyInt())).thenAnswer(inv -> {
      int queue = inv.getArgument(1);
      int index = inv.getArgument(2);
      String path = paths.get(index);
      if (looks.merge(index, 1, Integer::sum) == 1 || hanging.contains(path)) {
        return Optional.empty();
      }
      if (failing.contains(path)) {
        return Optional.of(new ScriptOutcome(queue, index, path, "DONE", "FAILED", false, true, "simulated failure"));
      }
      return Optional.of(new ScriptOutcome(queue, index, path, "DONE", "DONE", true, false, null));
    });
  }

  List<String> onQueue(int queue) {
    synchronized (added) {
      return added.stream().filter(a -> a.startsWith(queue + ":")).map(a -> a.substring(a.indexOf(':') + 1)).toList();
    }
  }
}
