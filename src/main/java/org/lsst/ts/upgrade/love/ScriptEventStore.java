package org.lsst.ts.upgrade.love;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What the ScriptQueues' events told us: the latest {@code script} event per script and the latest
 * {@code queue} event per queue, per site. Fed by the Kafka subscription; completes the futures of
 * {@link Love#whenDone} on the listener thread, so nobody waits on a thread.
 */
@Component
public class ScriptEventStore {

  /** A script as last seen, with when it was first heard of (to tell new scripts from history). */
  record Seen(ScriptEvent event, Instant firstSeen) {}

  private record Key(String site, int queue, int index) {}

  private record QueueKey(String site, int queue) {}

  /** A queue event and when it was heard. */
  private record QueueSeen(QueueEvent event, Instant heard) {}

  private final Clock clock;
  private final Map<Key, Seen> scripts = new ConcurrentHashMap<>();
  private final Map<QueueKey, QueueSeen> queues = new ConcurrentHashMap<>();
  /** Scripts known to have started: reported RUNNING, or named the queue's current script. */
  private final Set<Key> started = ConcurrentHashMap.newKeySet();
  private final Map<Key, CompletableFuture<ScriptOutcome>> waiting = new ConcurrentHashMap<>();
  /** One future per waiter ({@link #whenEnded}), each forgotten once it completes or is cancelled. */
  private final Map<Key, Set<CompletableFuture<ScriptOutcome>>> enders = new ConcurrentHashMap<>();
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ScriptEventStore() {
    this(Clock.systemUTC());
  }

  ScriptEventStore(Clock clock) {
    this.clock = clock;
  }

  /** A {@code script} event arrived. */
  public void accept(String site, ScriptEvent e) {
    Key k = new Key(site, e.queue(), e.scriptSalIndex());
    scripts.compute(k, (key, old) -> {
      // an index used again (a restarted queue) is a new script: forget the ended one
      boolean fresh = old == null || (old.event().ended() && !e.ended());
      if (fresh && old != null) {
        waiting.remove(key);
        started.remove(key);
      }
      return new Seen(e, fresh ? clock.instant() : old.firstSeen());
    });
    if (e.processState() == ScriptStates.P_RUNNING) {
      started.add(k);
    }
    if (e.ended()) {
      CompletableFuture<ScriptOutcome> f = waiting.remove(k);
      if (f != null) {
        f.complete(outcomeOf(e));
      }
      Set<CompletableFuture<ScriptOutcome>> ends = enders.remove(k);
      if (ends != null) {
        ScriptOutcome o = outcomeOf(e);
        ends.forEach(w -> w.complete(o));
      }
    }
    changeListeners.forEach(Runnable::run);
  }

  /** A {@code queue} event arrived. */
  public void accept(String site, QueueEvent e) {
    queues.put(new QueueKey(site, e.queue()), new QueueSeen(e, clock.instant()));
    if (e.currentSalIndex() > 0) {
      started.add(new Key(site, e.queue(), e.currentSalIndex()));
    }
    changeListeners.forEach(Runnable::run);
  }

  void onChange(Runnable r) {
    changeListeners.add(r);
  }

  void removeOnChange(Runnable r) {
    changeListeners.remove(r);
  }

  Optional<ScriptEvent> latest(String site, int queue, int index) {
    return Optional.ofNullable(scripts.get(new Key(site, queue, index))).map(Seen::event);
  }

  Optional<QueueEvent> queue(String site, int queue) {
    return Optional.ofNullable(queues.get(new QueueKey(site, queue))).map(QueueSeen::event);
  }

  /**
   * Where the script is by the queue's latest event, if that was heard at or after {@code since}: an
   * older one may predate the script (its add not yet published, or Kafka down since), so it says
   * nothing of it.
   */
  ScriptWhereabouts whereabouts(String site, int queue, int index, Instant since) {
    boolean wasStarted = started.contains(new Key(site, queue, index));
    QueueSeen q = queues.get(new QueueKey(site, queue));
    if (q == null || !q.event().listed() || (since != null && q.heard().isBefore(since))) {
      return new ScriptWhereabouts(ScriptWhereabouts.Place.UNKNOWN, wasStarted);
    }
    QueueEvent e = q.event();
    ScriptWhereabouts.Place place = e.currentSalIndex() == index ? ScriptWhereabouts.Place.CURRENT
        : e.salIndices().contains(index) ? ScriptWhereabouts.Place.WAITING
        : e.pastSalIndices().contains(index) ? ScriptWhereabouts.Place.FINISHED
        : ScriptWhereabouts.Place.ABSENT;
    return new ScriptWhereabouts(place, wasStarted);
  }

  /** Highest script index heard of on this queue (0 if none). */
  int highestIndex(String site, int queue) {
    return scripts.keySet().stream().filter(k -> k.site().equals(site) && k.queue() == queue)
        .mapToInt(Key::index).max().orElse(0);
  }

  /** Scripts of this path first heard of at or after {@code since} with an index above {@code above}. */
  List<ScriptEvent> newScripts(String site, int queue, String path, boolean standard, int above, Instant since) {
    List<ScriptEvent> l = new ArrayList<>();
    scripts.forEach((k, s) -> {
      if (k.site().equals(site) && k.queue() == queue && k.index() > above && !s.firstSeen().isBefore(since)
          && s.event().path().equals(path) && s.event().standard() == standard) {
        l.add(s.event());
      }
    });
    l.sort(java.util.Comparator.comparingInt(ScriptEvent::scriptSalIndex));
    return l;
  }

  Optional<ScriptOutcome> outcome(String site, int queue, int index) {
    return latest(site, queue, index).filter(ScriptEvent::ended).map(ScriptEventStore::outcomeOf);
  }

  CompletableFuture<ScriptOutcome> whenDone(String site, int queue, int index) {
    Key k = new Key(site, queue, index);
    CompletableFuture<ScriptOutcome> f = waiting.computeIfAbsent(k, x -> new CompletableFuture<>());
    // the end may have arrived before anyone asked
    outcome(site, queue, index).ifPresent(o -> {
      waiting.remove(k, f);
      f.complete(o);
    });
    return f;
  }

  /**
   * A future of the script's end for one waiter (see {@link Love#whenEnded}): completed at once if
   * the end was already heard; forgotten here as soon as it completes in any way (cancelled, timed
   * out), so a waiter that gives up leaves nothing behind.
   */
  CompletableFuture<ScriptOutcome> whenEnded(String site, int queue, int index) {
    Key k = new Key(site, queue, index);
    CompletableFuture<ScriptOutcome> f = new CompletableFuture<>();
    enders.compute(k, (key, set) -> {
      Set<CompletableFuture<ScriptOutcome>> s = set == null ? ConcurrentHashMap.newKeySet() : set;
      s.add(f);
      return s;
    });
    f.whenComplete((o, error) -> enders.computeIfPresent(k, (key, set) -> {
      set.remove(f);
      return set.isEmpty() ? null : set;
    }));
    // the end may have arrived before anyone asked
    outcome(site, queue, index).ifPresent(f::complete);
    return f;
  }

  /** Waiters of {@link #whenEnded} not yet completed (tests). */
  int endWaiters() {
    return enders.values().stream().mapToInt(Set::size).sum();
  }

  static ScriptOutcome outcomeOf(ScriptEvent e) {
    boolean ok = ScriptStates.succeeded(e.processState(), e.scriptState());
    boolean paused = ScriptStates.pausesQueue(e.processState(), e.scriptState());
    String p = ScriptStates.processName(e.processState());
    String s = ScriptStates.scriptName(e.scriptState());
    String msg = ok
        ? "script " + e.scriptSalIndex() + " (" + e.path() + ") on ScriptQueue:" + e.queue() + " is DONE"
        : "script " + e.scriptSalIndex() + " (" + e.path() + ") on ScriptQueue:" + e.queue() + " ended with processState "
            + p + ", scriptState " + s
            + (paused ? "; the queue is now PAUSED and runs no other script until it is resumed (cmd_resume)" : "");
    return new ScriptOutcome(e.queue(), e.scriptSalIndex(), e.path(), p, s, ok, paused, msg);
  }
}
