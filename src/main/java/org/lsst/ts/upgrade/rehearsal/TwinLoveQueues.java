package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.love.QueueEvent;
import org.lsst.ts.upgrade.love.ScriptEvent;
import org.lsst.ts.upgrade.love.ScriptStates;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The twin's ScriptQueues 1 (MainTel), 2 (AuxTel) and 3 (OCS) of every site. A queue is the
 * {@code ScriptQueue:<n>} CSC of {@link TwinCscs}: it accepts scripts only while that CSC is
 * ENABLED, runs them one after the other against the simulated CSCs (a script added behind a
 * running one waits), publishes the SAL {@code script} and {@code queue} events to its
 * {@link Listener}s (the Kafka side), pauses itself when a script fails, stops scripts on
 * {@code cmd_stopScripts}, publishes its queue or a script's state again on {@code cmd_showQueue} /
 * {@code cmd_showScript} (a script of its history with its final states) and loses its contents when its
 * process goes away. Fault
 * {@code script-hangs} (target the script path) keeps a script RUNNING until it is stopped, as
 * raise_m1m3.py at low elevation on the test stands; param {@code stop: ignored}: it does not
 * answer the stop either, and the queue terminates it (TERMINATED), as ts_scriptqueue does.
 *
 * <p>Faults {@code queue-restarts} (target the script path: the queue's process restarts while that
 * script runs, after it reported RUNNING) and {@code queue-restarts-before-start} (the queue restarts
 * just as that script would start: it only ever waited): the queue comes back at once, ENABLED and
 * empty — it forgets its queue, its current script and its history, as a restarted ts_scriptqueue
 * (they live in its memory), and the scripts it held end without a final {@code script} event
 * (their processes went with it). Assumption: the twin's script index counter continues across the
 * restart (it is the twin's, not the queue's); a real ScriptQueue starts again from its first index,
 * so at a site a later script may reuse the index of a lost one.
 */
@Component
@Profile("rehearsal")
public class TwinLoveQueues {
  private static final Logger log = LoggerFactory.getLogger(TwinLoveQueues.class);
  /** Script SAL indices of queue n start at n * 100000, as in ts_scriptqueue. */
  static final int INDEX_MULTIPLIER = 100_000;

  /** Told of every ScriptQueue event, on the queue's thread. */
  public interface Listener {
    void script(String site, ScriptEvent event);

    void queue(String site, QueueEvent event);
  }

  /** Result of a command to a queue: ok with the ack text, refused (salobj's reason), or no answer. */
  public record Ack(Kind kind, String result) {
    public enum Kind { OK, FAILED, NO_ACK }

    static Ack ok(String r) {
      return new Ack(Kind.OK, r);
    }

    static Ack failed(String r) {
      return new Ack(Kind.FAILED, r);
    }

    static Ack noAck(String r) {
      return new Ack(Kind.NO_ACK, r);
    }
  }

  /** A script on a queue, as the twin holds it. */
  static final class QueuedScript {
    final int index;
    final boolean standard;
    final String path;
    final String config;
    final String descr;
    volatile int processState = ScriptStates.P_LOADING;
    volatile int scriptState = 0;
    /** Completed by cmd_stopScripts (value: terminate) or, for a hung script, when its queue goes away. */
    final CompletableFuture<Boolean> stop = new CompletableFuture<>();
    /** Completed once the script's final event is published (or its queue is gone). */
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Held by the {@code script-hangs} fault: nothing but a stop ends it. */
    volatile boolean hanging;
    /** Its queue restarted under it (fault {@code queue-restarts}): it never reports an end. */
    volatile boolean lost;

    QueuedScript(int index, boolean standard, String path, String config, String descr) {
      this.index = index;
      this.standard = standard;
      this.path = path;
      this.config = config;
      this.descr = descr;
    }
  }

  final class Queue {
    final String site;
    final int index;
    final CscId csc;
    final Deque<QueuedScript> waiting = new ArrayDeque<>();
    final Deque<Integer> past = new ArrayDeque<>();
    /** The scripts of {@link #past} with their final states ({@code showScript} publishes them again). */
    final Map<Integer, QueuedScript> history = new java.util.HashMap<>();
    volatile QueuedScript current;
    volatile boolean running = true;
    final ExecutorService worker;

    Queue(String site, int index) {
      this.site = site;
      this.index = index;
      this.csc = CscId.of("ScriptQueue", index);
      this.worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "twin-scriptqueue-" + site + "-" + index);
        t.setDaemon(true);
        return t;
      });
    }

    boolean enabled() {
      TwinCscs.SimulatedCsc c = cscs.get(site, csc);
      return c.beating() && c.state() == SummaryState.ENABLED;
    }

    synchronized QueueEvent event() {
      return new QueueEvent(index, enabled(), running, current == null ? 0 : current.index,
          waiting.stream().map(s -> s.index).toList(), List.copyOf(past));
    }
  }

  private final TwinCscs cscs;
  private final ActionLog actions;
  private final LatencyModel latency;
  private final FaultRegistry faults;
  private final TwinLoveScripts scripts;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  public TwinLoveQueues(SimulatedSites sites, TwinCscs cscs, ActionLog actions, LatencyModel latency, FaultRegistry faults) {
    this.cscs = cscs;
    this.actions = actions;
    this.latency = latency;
    this.faults = faults;
    this.scripts = new TwinLoveScripts(cscs, actions, latency);
    for (Site site : sites.all()) {
      for (int q = 1; q <= 3; q++) {
        CscId id = CscId.of("ScriptQueue", q);
        if (site.csc(id).isPresent()) {
          queues.put(key(site.id(), q), new Queue(site.id(), q));
        }
      }
    }
    cscs.addListener(new TwinCscs.Listener() {
      @Override
      public void summaryState(String site, CscId id, SummaryState state) {
        queue(site, id).ifPresent(q -> {
          publishQueue(q);
          if (state == SummaryState.ENABLED) {
            pump(q);
          }
        });
      }

      @Override
      public void beating(String site, CscId id, boolean beating) {
        queue(site, id).ifPresent(q -> {
          if (!beating) {
            // the queue's process is gone, and with it every script it held
            synchronized (q) {
              q.waiting.forEach(s -> s.ended.complete(null));
              q.waiting.clear();
              q.running = true;
              releaseHung(q);
            }
          }
        });
      }
    });
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** {@code cmd_add}: only while the ScriptQueue CSC is ENABLED; answers the new script's index. */
  public Ack add(String site, int queue, boolean standard, String path, String config, String descr) {
    Queue q = require(site, queue);
    TwinCscs.SimulatedCsc c = cscs.get(site, q.csc);
    if (!c.beating()) {
      return Ack.noAck("No ack from " + q.csc + ": it is not running");
    }
    if (c.state() != SummaryState.ENABLED) {
      return Ack.failed("Rejected : command add not allowed in state " + c.state());
    }
    if (!scripts.knows(path)) {
      return Ack.failed("Failed : script " + path + " not found among the " + (standard ? "standard" : "external")
          + " scripts");
    }
    QueuedScript s = new QueuedScript(queue * INDEX_MULTIPLIER + counter.incrementAndGet(), standard, path,
        config == null ? "" : config, descr == null ? "" : descr);
    synchronized (q) {
      q.waiting.addLast(s);
    }
    actions.record(site, "love", site + "/" + q.csc, "add-script",
        Map.of("index", s.index, "path", path, "descr", s.descr, "config", s.config));
    publishScript(q, s);
    publishQueue(q);
    pump(q);
    return Ack.ok(Integer.toString(s.index));
  }

  /** {@code cmd_resume}: the queue runs scripts again. */
  public Ack resume(String site, int queue) {
    Queue q = require(site, queue);
    Optional<Ack> refused = refuse(q, "resume");
    if (refused.isPresent()) {
      return refused.get();
    }
    q.running = true;
    actions.record(site, "love", site + "/" + q.csc, "resume", Map.of());
    publishQueue(q);
    pump(q);
    return Ack.ok("Done");
  }

  /** {@code cmd_pause}: the queue runs no new script. */
  public Ack pause(String site, int queue) {
    Queue q = require(site, queue);
    Optional<Ack> refused = refuse(q, "pause");
    if (refused.isPresent()) {
      return refused.get();
    }
    q.running = false;
    actions.record(site, "love", site + "/" + q.csc, "pause", Map.of());
    publishQueue(q);
    return Ack.ok("Done");
  }

  /**
   * {@code cmd_stopScripts}, as ts_scriptqueue: only while ENABLED; the running script is asked to
   * stop (it reports STOPPED, or TERMINATED with {@code terminate}), queued ones are taken off the
   * queue (TERMINATED); indices the queue does not hold (ended, unknown) are ignored. The queue then
   * goes on with its next script. Answers once the running script has ended, as the real command
   * waits for it, but no later than LOVE's command timeout.
   */
  public Ack stopScripts(String site, int queue, List<Integer> indices, boolean terminate) {
    Queue q = require(site, queue);
    Optional<Ack> refused = refuse(q, "stopScripts");
    if (refused.isPresent()) {
      return refused.get();
    }
    if (indices.isEmpty()) {
      return Ack.failed("Failed : length=0 must be positive");
    }
    List<QueuedScript> dequeued = new ArrayList<>();
    QueuedScript running = null;
    synchronized (q) {
      if (q.current != null && indices.contains(q.current.index)) {
        running = q.current;
      }
      for (Iterator<QueuedScript> i = q.waiting.iterator(); i.hasNext(); ) {
        QueuedScript s = i.next();
        if (indices.contains(s.index)) {
          i.remove();
          dequeued.add(s);
          remember(q, s);
        }
      }
    }
    actions.record(site, "love", site + "/" + q.csc, "stop-scripts", Map.of("salIndices", List.copyOf(indices),
        "terminate", terminate, "running", running == null ? 0 : running.index,
        "queued", dequeued.stream().map(s -> s.index).toList()));
    for (QueuedScript s : dequeued) {
      end(q, s, ScriptStates.P_TERMINATED, s.scriptState, "stopped while queued (cmd_stopScripts)");
      publishScript(q, s);
      s.ended.complete(null);
    }
    if (!dequeued.isEmpty()) {
      publishQueue(q);
    }
    if (running != null) {
      running.stop.complete(terminate);
      try {
        running.ended.get(latency.of("love.command-timeout").toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // still cleaning up: it reports its end when it has
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Ack.ok("Done");
  }

  /** {@code cmd_showQueue}, as ts_scriptqueue: publishes the queue event again (only while ENABLED). */
  public Ack showQueue(String site, int queue) {
    Queue q = require(site, queue);
    Optional<Ack> refused = refuse(q, "showQueue");
    if (refused.isPresent()) {
      return refused.get();
    }
    actions.record(site, "love", site + "/" + q.csc, "show-queue", Map.of());
    publishQueue(q);
    return Ack.ok("Done");
  }

  /**
   * {@code cmd_showScript}, as ts_scriptqueue: publishes the {@code script} event of a script that is
   * waiting, running or in the queue's history (with its final states) again; a script the queue
   * does not hold (never added, or forgotten by a restart) fails the command. Only while ENABLED.
   */
  public Ack showScript(String site, int queue, int index) {
    Queue q = require(site, queue);
    Optional<Ack> refused = refuse(q, "showScript");
    if (refused.isPresent()) {
      return refused.get();
    }
    QueuedScript s;
    synchronized (q) {
      s = q.current != null && q.current.index == index ? q.current
          : q.waiting.stream().filter(w -> w.index == index).findFirst().orElse(q.history.get(index));
    }
    if (s == null) {
      return Ack.failed("Failed : No script found with salIndex=" + index);
    }
    actions.record(site, "love", site + "/" + q.csc, "show-script", Map.of("index", index));
    publishScript(q, s);
    return Ack.ok("Done");
  }

  /** The site's queues empty and running (not paused), as the twin started them; a hung script is let go. */
  public void reset(String site) {
    queues.values().stream().filter(q -> q.site.equals(site)).forEach(q -> {
      synchronized (q) {
        q.waiting.forEach(s -> s.ended.complete(null));
        q.waiting.clear();
        q.running = true;
        releaseHung(q);
      }
      publishQueue(q);
    });
  }

  /** The SAL index of the script the queue is running, if any; for tests and the control API. */
  public Optional<Integer> current(String site, int queue) {
    QueuedScript c = require(site, queue).current;
    return c == null ? Optional.empty() : Optional.of(c.index);
  }

  /** Whether the queue is running (not paused); for tests and the control API. */
  public boolean running(String site, int queue) {
    return require(site, queue).running;
  }

  /** SAL indices waiting on the queue (not the one running). */
  public List<Integer> waiting(String site, int queue) {
    return require(site, queue).event().salIndices();
  }

  /** What the minimal-testing scripts left at a site: {@code auxtel.tracking}, {@code auxtel.images}, playlists. */
  public Map<String, Object> effects(String site) {
    return scripts.effects(site);
  }

  /** The description a script was added with, if the queue still knows it. */
  public Optional<String> description(String site, int queue, int index) {
    Queue q = require(site, queue);
    synchronized (q) {
      if (q.current != null && q.current.index == index) {
        return Optional.of(q.current.descr);
      }
      return q.waiting.stream().filter(s -> s.index == index).map(s -> s.descr).findFirst();
    }
  }

  private Optional<Ack> refuse(Queue q, String cmd) {
    TwinCscs.SimulatedCsc c = cscs.get(q.site, q.csc);
    if (!c.beating()) {
      return Optional.of(Ack.noAck("No ack from " + q.csc + ": it is not running"));
    }
    if (c.state() != SummaryState.ENABLED) {
      return Optional.of(Ack.failed("Rejected : command " + cmd + " not allowed in state " + c.state()));
    }
    return Optional.empty();
  }

  private void pump(Queue q) {
    q.worker.execute(() -> {
      try {
        runNext(q);
      } catch (RuntimeException e) {
        log.error("Twin ScriptQueue {} at {} failed", q.index, q.site, e);
      }
    });
  }

  /** Runs scripts at the head of the queue while it is ENABLED and not paused (on the queue's thread). */
  private void runNext(Queue q) {
    while (true) {
      QueuedScript s;
      synchronized (q) {
        if (!q.running || !q.enabled() || q.waiting.isEmpty() || q.current != null) {
          return;
        }
        s = q.waiting.peekFirst();
      }
      if (faults.consult(q.site, "love", s.path, "queue-restarts-before-start").isPresent()) {
        restart(q, "queue-restarts-before-start", s);
        continue;
      }
      synchronized (q) {
        if (q.waiting.peekFirst() != s) {
          continue; // stopped (dequeued) meanwhile
        }
        q.waiting.pollFirst();
        q.current = s;
      }
      publishQueue(q);
      TwinLoveScripts.Outcome outcome = execute(q, s);
      if (s.lost) {
        s.ended.complete(null);
        continue; // its queue restarted under it: no end to report, nothing to remember
      }
      boolean alive = cscs.get(q.site, q.csc).beating();
      synchronized (q) {
        q.current = null;
        remember(q, s);
        if (ScriptStates.pausesQueue(s.processState, s.scriptState)) {
          q.running = false;
        }
      }
      if (!alive) {
        s.ended.complete(null);
        return; // the script took its own queue down before it could report (not at the end)
      }
      publishScript(q, s);
      s.ended.complete(null);
      publishQueue(q);
      if (outcome.afterDone() != null) {
        // the queue sends itself away only after the script has reported DONE
        outcome.afterDone().run();
      }
    }
  }

  private TwinLoveScripts.Outcome execute(Queue q, QueuedScript s) {
    String target = q.site + "/" + q.csc + "/" + s.index;
    ActionLog.Running act = actions.begin(q.site, "love", target, "script",
        Map.of("path", s.path, "index", s.index));
    try {
      Optional<FaultRegistry.Fault> fault = faults.consult(q.site, "love", s.path, "script-fails");
      String failAs = fault.map(f -> f.params().getOrDefault("state", "FAILED")).orElse(null);
      pause(latency.of("script.load"));
      if ("LOADFAILED".equals(failAs)) {
        return end(q, s, ScriptStates.P_LOADFAILED, 0, "injected: cannot load " + s.path);
      }
      s.scriptState = ScriptStates.S_UNCONFIGURED;
      Map<String, Object> config;
      String problem;
      try {
        Object parsed = s.config.isBlank() ? Map.of() : yaml.readValue(s.config, Object.class);
        if (!(parsed instanceof Map<?, ?> m)) {
          throw new IllegalArgumentException("the configuration is not a YAML mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) m);
        config = c;
        problem = "CONFIGURE_FAILED".equals(failAs) ? "injected configuration failure" : scripts.validate(q.site, s.path, config);
      } catch (Exception e) {
        config = Map.of();
        problem = "invalid YAML: " + e.getMessage();
      }
      if (problem != null) {
        return end(q, s, ScriptStates.P_CONFIGURE_FAILED, ScriptStates.S_CONFIGURE_FAILED, problem);
      }
      s.processState = ScriptStates.P_CONFIGURED;
      s.scriptState = ScriptStates.S_CONFIGURED;
      publishScript(q, s);
      s.processState = ScriptStates.P_RUNNING;
      s.scriptState = ScriptStates.S_RUNNING;
      publishScript(q, s);
      if ("TERMINATED".equals(failAs)) {
        return end(q, s, ScriptStates.P_TERMINATED, ScriptStates.S_RUNNING, "injected: terminated");
      }
      if ("STOPPED".equals(failAs)) {
        return end(q, s, ScriptStates.P_DONE, ScriptStates.S_STOPPED, "injected: stopped");
      }
      if (faults.consult(q.site, "love", s.path, "queue-restarts").isPresent()) {
        restart(q, "queue-restarts", s);
        return new TwinLoveScripts.Outcome(false, "its queue restarted", null);
      }
      Optional<FaultRegistry.Fault> hang = faults.consult(q.site, "love", s.path, "script-hangs");
      if (hang.isPresent()) {
        return hang(q, s, "ignored".equals(hang.get().params().get("stop")));
      }
      TwinLoveScripts.Outcome o = scripts.run(q.site, q.index, s.path, config);
      if (s.stop.isDone()) {
        // asked to stop while it ran: the twin runs a script's steps to the end, then reports it stopped
        return stopped(q, s, Boolean.TRUE.equals(s.stop.getNow(false)));
      }
      if ("FAILED".equals(failAs) && o.ok()) {
        o = new TwinLoveScripts.Outcome(false, "injected failure", o.afterDone());
      }
      end(q, s, ScriptStates.P_DONE, o.ok() ? ScriptStates.S_DONE : ScriptStates.S_FAILED, o.message());
      return o;
    } finally {
      act.end();
    }
  }

  /** A hung script: RUNNING on the queue's thread until cmd_stopScripts (or its queue goes away). */
  private TwinLoveScripts.Outcome hang(Queue q, QueuedScript s, boolean ignoresStop) {
    s.hanging = true;
    actions.record(q.site, "love", q.site + "/" + q.csc + "/" + s.index, "script-hangs", Map.of("path", s.path));
    boolean terminate;
    try {
      terminate = s.stop.get();
    } catch (ExecutionException e) {
      terminate = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the twin is shutting down
      terminate = true;
    } finally {
      s.hanging = false;
    }
    if (!terminate && ignoresStop) {
      // the script does not answer its stop command: the queue kills its process
      pause(latency.of("script.stop"));
      return end(q, s, ScriptStates.P_TERMINATED, ScriptStates.S_RUNNING, "did not stop when asked: terminated");
    }
    return stopped(q, s, terminate);
  }

  /** Ends a script stopped on request: STOPPING then DONE/STOPPED; terminated: TERMINATED at once. */
  private TwinLoveScripts.Outcome stopped(Queue q, QueuedScript s, boolean terminate) {
    if (terminate) {
      return end(q, s, ScriptStates.P_TERMINATED, s.scriptState, "terminated (cmd_stopScripts terminate, or its queue went away)");
    }
    s.scriptState = ScriptStates.S_STOPPING;
    publishScript(q, s);
    pause(latency.of("script.stop"));
    return end(q, s, ScriptStates.P_DONE, ScriptStates.S_STOPPED, "stopped on request (cmd_stopScripts)");
  }

  /**
   * The queue's process restarts in place (faults {@code queue-restarts}, {@code queue-restarts-before-start}):
   * it comes back ENABLED and empty, its queue, current script and history forgotten; the scripts it
   * held report nothing more. {@code cause} is the script whose fault fired (for the action log).
   */
  private void restart(Queue q, String fault, QueuedScript cause) {
    List<Integer> forgotten = new ArrayList<>();
    synchronized (q) {
      if (q.current != null) {
        q.current.lost = true;
        forgotten.add(q.current.index);
        q.current = null;
      }
      q.waiting.forEach(w -> {
        forgotten.add(w.index);
        w.ended.complete(null);
      });
      q.waiting.clear();
      q.past.clear();
      q.history.clear();
      q.running = true;
    }
    actions.record(q.site, "love", q.site + "/" + q.csc, "queue-restarted", Map.of("fault", fault,
        "script", cause.index, "path", cause.path, "forgotten", forgotten));
    log.warn("Twin ScriptQueue:{} at {} restarted (fault {} on {}): forgot {}", q.index, q.site, fault, cause.path,
        forgotten);
    publishQueue(q);
  }

  /** Lets a hung current script go (as TERMINATED): its queue is gone or the twin is reset. Holds q. */
  private static void releaseHung(Queue q) {
    QueuedScript c = q.current;
    if (c != null && c.hanging) {
      c.stop.complete(true);
    }
  }

  private static void remember(Queue q, QueuedScript s) {
    q.past.addFirst(s.index);
    q.history.put(s.index, s);
    while (q.past.size() > 400) {
      q.history.remove(q.past.removeLast());
    }
  }

  private TwinLoveScripts.Outcome end(Queue q, QueuedScript s, int process, int script, String message) {
    s.processState = process;
    s.scriptState = script;
    actions.record(q.site, "love", q.site + "/" + q.csc + "/" + s.index, "script-ended",
        Map.of("path", s.path, "processState", ScriptStates.processName(process),
            "scriptState", ScriptStates.scriptName(script), "message", message == null ? "" : message));
    return new TwinLoveScripts.Outcome(ScriptStates.succeeded(process, script), message, null);
  }

  private void publishScript(Queue q, QueuedScript s) {
    ScriptEvent e = new ScriptEvent(q.index, s.index, s.path, s.standard, s.processState, s.scriptState);
    listeners.forEach(l -> l.script(q.site, e));
  }

  private void publishQueue(Queue q) {
    QueueEvent e = q.event();
    listeners.forEach(l -> l.queue(q.site, e));
  }

  static void pause(Duration d) {
    // twin-only: a simulated script step takes time on the queue's own thread
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<Queue> queue(String site, CscId id) {
    if (!"ScriptQueue".equals(id.component()) || id.index() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(queues.get(key(site, id.index())));
  }

  private Queue require(String site, int queue) {
    Queue q = queues.get(key(site, queue));
    if (q == null) {
      throw new IllegalArgumentException("the twin of site '" + site + "' has no ScriptQueue:" + queue);
    }
    return q;
  }

  private static String key(String site, int q) {
    return site + "/" + q;
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    queues.values().forEach(q -> q.worker.shutdownNow());
  }

  List<Queue> all() {
    return new ArrayList<>(queues.values());
  }
}
