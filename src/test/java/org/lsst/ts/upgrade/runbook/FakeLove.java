package org.lsst.ts.upgrade.runbook;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
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
 * answers "still running" at the first look and then the outcome the test chose per path. A
 * queue runs one script at a time: a script added behind a {@link #hanging} one stays queued
 * (no outcome) until the hung one is stopped ({@link Love#stopScript}, recorded in {@link #stopped});
 * a stopped script ends DONE/STOPPED. {@link #stopFails} makes every stop fail (LOVE down).
 */
public final class FakeLove {
  public final Love love = mock(Love.class);
  public final List<String> added = new ArrayList<>();
  public final List<ScriptRequest> requests = new ArrayList<>();
  public final Set<String> failing = new HashSet<>();
  public final Set<String> hanging = new HashSet<>();
  /** Every stop received, as {@code queue:index}. */
  public final List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
  public volatile boolean stopFails;
  private final Map<Integer, Integer> queues = new ConcurrentHashMap<>();
  private final Set<Integer> stoppedIndices = ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> paths = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> looks = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger(100000);

  public FakeLove() {
    // the preflight's login: the operator may command
    when(love.mayCommand(anyString())).thenReturn(true);
    when(love.addScript(anyString(), anyInt(), any())).thenAnswer(inv -> {
      int queue = inv.getArgument(1);
      ScriptRequest r = inv.getArgument(2);
      int index = next.incrementAndGet();
      synchronized (added) {
        added.add(queue + ":" + r.path());
        requests.add(r);
      }
      paths.put(index, r.path());
      queues.put(index, queue);
      return index;
    });
    doAnswer(inv -> {
      int queue = inv.getArgument(1);
      int index = inv.getArgument(2);
      stopped.add(queue + ":" + index);
      if (stopFails) {
        throw new IllegalStateException("LOVE at site '" + inv.getArgument(0) + "': LOVE is unavailable (503)");
      }
      if (paths.containsKey(index)) {
        stoppedIndices.add(index);
      }
      return null;
    }).when(love).stopScript(anyString(), anyInt(), anyInt());
    when(love.outcome(anyString(), anyInt(), anyInt())).thenAnswer(inv -> {
      int queue = inv.getArgument(1);
      int index = inv.getArgument(2);
      String path = paths.get(index);
      if (stoppedIndices.contains(index)) {
        return Optional.of(new ScriptOutcome(queue, index, path, "DONE", "STOPPED", false, false, "stopped"));
      }
      if (behindAHungScript(queue, index)) {
        return Optional.empty(); // still queued
      }
      if (looks.merge(index, 1, Integer::sum) == 1 || hanging.contains(path)) {
        return Optional.empty();
      }
      if (failing.contains(path)) {
        return Optional.of(new ScriptOutcome(queue, index, path, "DONE", "FAILED", false, true, "simulated failure"));
      }
      return Optional.of(new ScriptOutcome(queue, index, path, "DONE", "DONE", true, false, null));
    });
  }

  /** Forgets every script and answer, for the next test (the mock's wiring stays). */
  public void reset() {
    synchronized (added) {
      added.clear();
      requests.clear();
    }
    failing.clear();
    hanging.clear();
    stopped.clear();
    stopFails = false;
    queues.clear();
    stoppedIndices.clear();
    paths.clear();
    looks.clear();
    org.mockito.Mockito.clearInvocations(love);
  }

  /** An earlier script on the same queue hangs and was not stopped: this one has not started. */
  private boolean behindAHungScript(int queue, int index) {
    return paths.entrySet().stream().anyMatch(e -> e.getKey() < index && queues.get(e.getKey()) == queue
        && hanging.contains(e.getValue()) && !stoppedIndices.contains(e.getKey()));
  }

  /** The SAL index the (first) script of this path was given. */
  public int indexOf(String path) {
    return paths.entrySet().stream().filter(e -> e.getValue().equals(path)).mapToInt(Map.Entry::getKey).min()
        .orElseThrow(() -> new AssertionError(path + " was never added"));
  }

  public List<String> onQueue(int queue) {
    synchronized (added) {
      return added.stream().filter(a -> a.startsWith(queue + ":")).map(a -> a.substring(a.indexOf(':') + 1)).toList();
    }
  }
}
