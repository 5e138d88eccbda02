package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistryException;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Live CSC states from the sites' Kafka: one consumer per site (no consumer group: every
 * orchestrator node needs every record) reads the summaryState and heartbeat topics of the site's
 * components, starting from a bounded history, and keeps per instance the reported state and the
 * time of the last heartbeat. The effective state is computed when asked, so heartbeat loss needs
 * no timer. Starts in {@link #start()}, after every singleton (so after the rehearsal twin).
 */
@Component
class KafkaCscMonitor implements CscStates, SalEventStream, SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(KafkaCscMonitor.class);
  private static final Set<String> STATE_EVENTS = Set.of("summaryState", "heartbeat");
  /** All the monitor reads of a state record nobody follows: the instance and the state. */
  private static final List<String> STATE_FIELDS = List.of("salIndex", "summaryState");
  private static final int RECENT_EVENTS = 500;
  /** {@code handle}'s answer for a record applied (or skipped as undecodable); otherwise the schema id it waits for. */
  private static final int APPLIED = Integer.MIN_VALUE;
  /** The poll timeout while partitions wait for their writer schema. */
  private static final Duration FETCH_POLL = Duration.ofMillis(5);

  private final Sites sites;
  private final SchemaRegistry registry;
  private final CscProperties properties;
  private final KafkaProperties kafka;
  private final Clock clock;
  private final Function<String, String> env;
  private final Map<String, SiteState> states = new ConcurrentHashMap<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private volatile ScheduledExecutorService checker;
  /** Fetches new writer schemas side by side (all sites); threads made when first needed. */
  private volatile ExecutorService fetcher;
  private volatile boolean running;

  @Autowired
  KafkaCscMonitor(Sites sites, SchemaRegistry registry, CscProperties properties, KafkaProperties kafka) {
    this(sites, registry, properties, kafka, Clock.systemUTC(), System::getenv);
  }

  KafkaCscMonitor(Sites sites, SchemaRegistry registry, CscProperties properties, KafkaProperties kafka,
      Clock clock, Function<String, String> env) {
    this.sites = sites;
    this.registry = registry;
    this.properties = properties;
    this.kafka = kafka;
    this.clock = clock;
    this.env = env;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    Instant started = clock.instant();
    fetcher = Executors.newFixedThreadPool(16, r -> {
      Thread t = new Thread(r, "csc-monitor-schemas");
      t.setDaemon(true);
      return t;
    });
    for (String site : sites.ids()) {
      SiteState s = state(site);
      s.lastContact = started;
      // no grace at start: the history read proves a heartbeat lost (the grace is for the CSCs'
      // producers reconnecting after an outage)
      s.seeingSince = started.minus(properties.heartbeatTimeout());
      Thread t = new Thread(() -> s.run(), "csc-monitor-" + site);
      t.setDaemon(true);
      s.thread = t;
      t.start();
    }
    checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "csc-monitor-await");
      t.setDaemon(true);
      return t;
    });
    checker.scheduleWithFixedDelay(this::checkWaiters, 100, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    for (SiteState s : states.values()) {
      KafkaConsumer<byte[], byte[]> c = s.consumer;
      if (c != null) {
        // no interrupt: it would break the consumer's orderly close
        c.wakeup();
      }
    }
    for (SiteState s : states.values()) {
      try {
        if (s.thread != null) {
          s.thread.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    checker.shutdownNow();
    fetcher.shutdownNow();
    // nothing would complete them any more: a caller must not wait for its deadline in vain
    for (Waiter w : waiters) {
      failStopped(w);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  // ---------------------------------------------------------------- CscStates

  @Override
  public List<CscStatus> snapshot(String site) {
    Site s = sites.require(site);
    SiteState st = state(site);
    Instant now = clock.instant();
    boolean blind = st.blind(now);
    Map<CscId, CscStatus> out = new LinkedHashMap<>();
    for (CscId id : s.cscIds()) {
      out.put(id, st.status(id, now, blind));
    }
    st.instances.keySet().stream().filter(id -> !out.containsKey(id)).sorted()
        .forEach(id -> out.put(id, st.status(id, now, blind)));
    return List.copyOf(out.values());
  }

  @Override
  public List<CscStatus> statusOf(String site, Collection<CscId> ids) {
    sites.require(site);
    SiteState st = state(site);
    Instant now = clock.instant();
    boolean blind = st.blind(now);
    return ids.stream().map(id -> st.status(id, now, blind)).toList();
  }

  @Override
  public Optional<String> blindness(String site) {
    Site s = sites.require(site);
    SiteState st = state(site);
    Instant now = clock.instant();
    if (!st.blind(now)) {
      return Optional.empty();
    }
    Instant last = st.lastRecord;
    String error = st.contactError;
    return Optional.of((last == null ? "no record from " + site + "'s Kafka yet"
        : "no record from " + site + "'s Kafka for " + Duration.between(last, now).toSeconds() + " s")
        + " (broker " + s.endpoints().kafkaBootstrap() + " unreachable"
        + (error == null ? "" : ": " + error) + ")");
  }

  @Override
  public Optional<Instant> seeingSince(String site) {
    sites.require(site);
    SiteState st = state(site);
    if (!running || st.blind(clock.instant())) {
      return Optional.empty();
    }
    return Optional.ofNullable(st.seeingSince);
  }

  @Override
  public boolean historyRead(String site) {
    sites.require(site);
    return state(site).historyRead;
  }

  @Override
  public CompletableFuture<AwaitResult> await(String site, Collection<CscId> ids, Predicate<CscStatus> condition,
      Duration deadline) {
    sites.require(site);
    Waiter w = new Waiter(site, List.copyOf(ids), condition, clock.instant().plus(deadline), new CompletableFuture<>());
    if (!check(w)) {
      waiters.add(w);
      ScheduledExecutorService c = checker;
      if (c != null && c.isShutdown()) {
        // stop() ran meanwhile and may have missed this waiter
        failStopped(w);
      }
    }
    return w.future;
  }

  private record Waiter(String site, List<CscId> ids, Predicate<CscStatus> condition, Instant deadline,
      CompletableFuture<AwaitResult> future) {}

  private void failStopped(Waiter w) {
    waiters.remove(w);
    w.future.completeExceptionally(new IllegalStateException(
        "CSC monitor stopped while waiting for " + w.ids + " of site '" + w.site + "'"));
  }

  private void checkWaiters() {
    for (Waiter w : waiters) {
      try {
        if (check(w)) {
          waiters.remove(w);
        }
      } catch (RuntimeException e) {
        waiters.remove(w);
        w.future.completeExceptionally(e);
      }
    }
  }

  /** True when the waiter is done (satisfied, past its deadline, or cancelled by its caller). */
  private boolean check(Waiter w) {
    if (w.future.isDone()) {
      return true;
    }
    List<CscStatus> statuses = statusOf(w.site, w.ids);
    if (statuses.stream().allMatch(w.condition)) {
      return w.future.complete(new AwaitResult(true, statuses)) || true;
    }
    if (!clock.instant().isBefore(w.deadline)) {
      return w.future.complete(new AwaitResult(false, statuses)) || true;
    }
    return false;
  }

  // ---------------------------------------------------------------- SalEventStream

  @Override
  public Subscription subscribe(String site, String component, String event, boolean replayHistory,
      Consumer<SalEvent> listener) {
    sites.require(site);
    CscId.of(component);
    SiteState st = state(site);
    Sub sub = new Sub(component, event, replayHistory, listener);
    synchronized (st) {
      if (replayHistory) {
        for (SalEvent e : st.recent.getOrDefault(component + "." + event, new ArrayDeque<>())) {
          deliver(sub, e);
        }
      }
      st.recent.computeIfAbsent(component + "." + event, k -> new ArrayDeque<>());
      st.subs.add(sub);
    }
    st.refreshSoon = true;
    return () -> st.subs.remove(sub);
  }

  @Override
  public List<SalEvent> recent(String site, String component, String event) {
    SiteState st = state(site);
    synchronized (st) {
      return List.copyOf(st.recent.getOrDefault(component + "." + event, new ArrayDeque<>()));
    }
  }

  private record Sub(String component, String event, boolean replay, Consumer<SalEvent> listener) {}

  private static void deliver(Sub sub, SalEvent e) {
    try {
      sub.listener.accept(e);
    } catch (RuntimeException ex) {
      log.warn("a listener of {}.{} failed on {}: {}", e.id(), e.event(), e.offset(), ex.toString());
    }
  }

  // ---------------------------------------------------------------- diagnostics (tests, benchmark)

  /** Records of this site that could not be decoded and were skipped, per topic. */
  Map<String, Long> undecodable(String site) {
    Map<String, Long> m = new LinkedHashMap<>();
    state(site).undecodable.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  /** When the last record of any kind arrived from this site's Kafka, or null before the first. */
  Instant lastRecord(String site) {
    return state(site).lastRecord;
  }

  /** Records of this site that could not be decoded, all topics together. */
  long undecodableTotal(String site) {
    return state(site).undecodable.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Records of this site decoded and applied. */
  long applied(String site) {
    return state(site).applied.get();
  }

  private SiteState state(String site) {
    return states.computeIfAbsent(site, SiteState::new);
  }

  // ---------------------------------------------------------------- per site

  /** No time yet (epoch millis). */
  private static final long NEVER = Long.MIN_VALUE;

  /** Times in epoch millis (NEVER before the first): applying a record allocates nothing. */
  private static final class Instance {
    SummaryState reported = SummaryState.UNKNOWN;
    long lastHeartbeat = NEVER;
    long lastUpdate = NEVER;
  }

  private static final SummaryState[] STATES = SummaryState.values();

  /** The SAL state of a code, null if none (SummaryState.fromCode without its stream and Optional). */
  private static SummaryState stateOf(long code) {
    for (SummaryState st : STATES) {
      if (st.code() == code && st != SummaryState.UNKNOWN) {
        return st;
      }
    }
    return null;
  }

  /**
   * One writer schema of a site: the parsed schema, and its readers made on the site's consumer
   * thread when first needed (a state topic nobody follows is read with the projection only).
   */
  private static final class WriterSchema {
    final Schema schema;
    SalAvro.Reader full;
    SalAvro.Projection state;
    int salIndexPos;
    int summaryStatePos;

    WriterSchema(Schema schema) {
      this.schema = schema;
    }

    SalAvro.Reader full() {
      if (full == null) {
        full = new SalAvro.Reader(schema);
      }
      return full;
    }

    SalAvro.Projection state() {
      if (state == null) {
        state = new SalAvro.Projection(schema, STATE_FIELDS);
        salIndexPos = state.position("salIndex");
        summaryStatePos = state.position("summaryState");
      }
      return state;
    }
  }

  private final class SiteState {
    final String site;
    final Map<CscId, Instance> instances = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> undecodable = new ConcurrentHashMap<>();
    final AtomicLong applied = new AtomicLong();
    volatile Instant lastRecord;
    /**
     * Last proof that the broker answered: a record arrived, or a topic list or end offsets came
     * back. Silence alone is not blindness: a site whose CSCs are all OFFLINE publishes nothing.
     */
    volatile Instant lastContact;
    /**
     * Start of the current stretch of contact (no gap longer than the heartbeat timeout). After an
     * outage the CSCs' own producers reconnect too: a heartbeat counts as lost only once the
     * monitor has been seeing for a whole heartbeat timeout.
     */
    volatile Instant seeingSince;
    final List<Sub> subs = new CopyOnWriteArrayList<>();
    final Map<String, ArrayDeque<SalEvent>> recent = new ConcurrentHashMap<>();
    /** Next offset to read per partition: kept across consumer re-creation so nothing is lost or replayed. */
    final Map<TopicPartition, Long> positions = new HashMap<>();
    /** End offsets at assignment: records before them are history. */
    final Map<TopicPartition, Long> historyEnds = new HashMap<>();
    /** Partitions whose history is still being read. */
    final Set<TopicPartition> readingHistory = new HashSet<>();
    /** Per writer schema id (read by the consumer thread only, like everything below but the counters). */
    final Map<Integer, WriterSchema> schemas = new ConcurrentHashMap<>();
    /**
     * Writer schemas being fetched (consumer thread only). A record whose schema is not known yet
     * does not hold the others up: its partition is paused at it until the fetch ends.
     */
    final Map<Integer, CompletableFuture<String>> fetching = new HashMap<>();
    /** Fetched schema texts not parsed yet, and why an id's schema is unusable (does not parse). */
    final Map<Integer, String> fetched = new HashMap<>();
    final Map<Integer, String> broken = new HashMap<>();
    /** Ids whose fetch failed (registry unreachable): asked again after the retry back-off. */
    final Map<Integer, Instant> retryAfter = new HashMap<>();
    /** Paused partitions and the schema id each waits for. */
    final Map<TopicPartition, Integer> waiting = new HashMap<>();
    final Map<Integer, Instant> unknownIds = new ConcurrentHashMap<>();
    volatile boolean historyRead;
    volatile boolean refreshSoon;
    volatile KafkaConsumer<byte[], byte[]> consumer;
    volatile Thread thread;
    Pattern topics;
    String subname;
    Instant nextRefresh = Instant.MIN;
    boolean firstAssignment = true;
    String lastError;
    /** The failure last logged per schema id: one warning per outage, not one per retry. */
    final Map<Integer, String> fetchWarned = new HashMap<>();
    /** Why the broker was last not reached (for {@link #blindness}). */
    volatile String contactError;

    SiteState(String site) {
      this.site = site;
    }

    /**
     * Blind: running, and the broker has not been heard from (no record, no answer to a probe) for
     * longer than the heartbeat timeout.
     */
    boolean blind(Instant now) {
      Instant contact = lastContact;
      return running && contact != null && Duration.between(contact, now).compareTo(properties.heartbeatTimeout()) > 0;
    }

    CscStatus status(CscId id, Instant now, boolean blind) {
      Instance i = instances.get(id);
      if (blind) {
        // what the CSCs do now is unknown: a wait for OFFLINE must not end because nothing is heard
        if (i == null) {
          return new CscStatus(id, SummaryState.UNKNOWN, null, SummaryState.UNKNOWN, null);
        }
        CscStatus seen = status(id, now, false);
        return new CscStatus(id, seen.reportedState(), seen.heartbeatAge(), SummaryState.UNKNOWN, seen.lastUpdate());
      }
      if (i == null) {
        return new CscStatus(id, SummaryState.UNKNOWN, null,
            historyRead ? SummaryState.OFFLINE : SummaryState.UNKNOWN, null);
      }
      SummaryState reported;
      Instant hb;
      Instant update;
      synchronized (i) {
        reported = i.reported;
        hb = i.lastHeartbeat == NEVER ? null : Instant.ofEpochMilli(i.lastHeartbeat);
        update = i.lastUpdate == NEVER ? null : Instant.ofEpochMilli(i.lastUpdate);
      }
      Duration age = hb == null ? null : Duration.between(hb, now).isNegative() ? Duration.ZERO : Duration.between(hb, now);
      SummaryState effective;
      if (reported == SummaryState.OFFLINE) {
        effective = SummaryState.OFFLINE;
      } else if (age == null || age.compareTo(properties.heartbeatTimeout()) > 0) {
        // a heartbeat may still be in the unread history, or be on a broker not heard from since it
        // was due: the heartbeat is lost only if the broker answered after it was due
        Instant contact = lastContact;
        Instant since = seeingSince;
        Duration timeout = properties.heartbeatTimeout();
        boolean seenSinceDue = contact == null || since == null
            || (hb == null || contact.isAfter(hb.plus(timeout))) && !since.plus(timeout).isAfter(now);
        effective = historyRead && seenSinceDue ? SummaryState.OFFLINE : SummaryState.UNKNOWN;
      } else {
        effective = reported;
      }
      return new CscStatus(id, reported, age, effective, update);
    }

    void run() {
      while (running) {
        try {
          if (consumer == null) {
            consumer = createConsumer();
            nextRefresh = Instant.MIN;
          }
          if (refreshSoon || !clock.instant().isBefore(nextRefresh)) {
            refreshSoon = false;
            refreshAssignment();
            nextRefresh = clock.instant().plus(properties.topicRefresh());
          }
          // short polls while schemas are being fetched: their partitions resume as soon as they arrive
          ConsumerRecords<byte[], byte[]> records = consumer.poll(waiting.isEmpty() ? properties.pollTimeout()
              : FETCH_POLL.compareTo(properties.pollTimeout()) < 0 ? FETCH_POLL : properties.pollTimeout());
          if (!records.isEmpty()) {
            lastRecord = clock.instant();
            contact(lastRecord);
          } else {
            probe();
          }
          for (TopicPartition tp : records.partitions()) {
            long next = -1;
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
              int waitFor = handle(r);
              if (waitFor != APPLIED) {
                // its writer schema is on its way: read this record again then, lose nothing
                consumer.seek(tp, r.offset());
                consumer.pause(List.of(tp));
                waiting.put(tp, waitFor);
                break;
              }
              next = r.offset() + 1;
            }
            if (next >= 0) {
              positions.put(tp, next);
            }
          }
          resumeFetched();
          checkHistory();
          lastError = null;
        } catch (WakeupException e) {
          // stop() or a new subscription: loop re-checks
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          String msg = e.toString();
          contactError = e.getMessage() == null ? msg : e.getMessage();
          if (!msg.equals(lastError)) {
            log.warn("CSC monitor of {}: {}; retrying", site, msg);
            lastError = msg;
          }
          closeConsumer();
          try {
            Thread.sleep(properties.retryBackoff().toMillis());
          } catch (InterruptedException ie) {
            if (!running) {
              break;
            }
          }
        }
      }
      closeConsumer();
    }

    private void closeConsumer() {
      KafkaConsumer<byte[], byte[]> c = consumer;
      consumer = null;
      // a new consumer starts unpaused, at the positions applied
      waiting.clear();
      // a fetch queued on a fetcher stopped meanwhile would never end: its record asks again
      fetching.values().removeIf(f -> !f.isDone());
      if (c != null) {
        try {
          c.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
          log.debug("closing consumer of {}: {}", site, e.toString());
        }
      }
    }

    private KafkaConsumer<byte[], byte[]> createConsumer() {
      Site s = sites.require(site);
      String bootstrap = s.endpoints().kafkaBootstrap();
      if (bootstrap == null || bootstrap.isBlank()) {
        throw new IllegalStateException("site '" + site + "' has no endpoints.kafka-bootstrap");
      }
      subname = s.endpoints().kafkaTopicSubname();
      Map<String, Object> p = new HashMap<>();
      p.put("bootstrap.servers", bootstrap);
      p.put("client.id", "upgrade-csc-monitor-" + site);
      p.put("enable.auto.commit", false);
      p.put("auto.offset.reset", "latest");
      p.put("key.deserializer", ByteArrayDeserializer.class);
      p.put("value.deserializer", ByteArrayDeserializer.class);
      p.put("max.poll.records", 5000);
      p.put("default.api.timeout.ms", 10000);
      p.put("request.timeout.ms", 10000);
      p.put("reconnect.backoff.ms", 100);
      p.put("reconnect.backoff.max.ms", 2000);
      p.putAll(security(kafka, s, env));
      p.putAll(kafka.properties());
      historyEnds.clear();
      return new KafkaConsumer<>(p);
    }

    /** Reads the site's topic list and assigns the new event topics, seeking to their bounded history. */
    private void refreshAssignment() {
      Set<String> wanted = new HashSet<>();
      for (Sub sub : subs) {
        wanted.add(SalAvro.topic(subname, sub.component, sub.event));
      }
      String prefix = "lsst." + subname + ".";
      Map<String, List<PartitionInfo>> all = consumer.listTopics();
      Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
      List<TopicPartition> fresh = new ArrayList<>();
      for (var e : all.entrySet()) {
        String t = e.getKey();
        if (!t.startsWith(prefix) || !(wanted.contains(t) || isStateTopic(t.substring(prefix.length())))) {
          continue;
        }
        for (PartitionInfo pi : e.getValue()) {
          TopicPartition tp = new TopicPartition(t, pi.partition());
          if (!assigned.contains(tp)) {
            fresh.add(tp);
          }
        }
      }
      if (!fresh.isEmpty()) {
        assigned.addAll(fresh);
        consumer.assign(assigned);
        Map<TopicPartition, Long> ends = consumer.endOffsets(fresh);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(fresh);
        for (TopicPartition tp : fresh) {
          long end = ends.getOrDefault(tp, 0L);
          Long known = positions.get(tp);
          long from = known != null ? known : Math.max(begins.getOrDefault(tp, 0L), end - properties.historyRecords());
          consumer.seek(tp, from);
          historyEnds.put(tp, end);
          if (!historyRead && from < end) {
            readingHistory.add(tp);
          }
        }
      }
      firstAssignment = false;
      contact(clock.instant());
      checkHistory();
    }

    /**
     * When nothing has been heard for half the heartbeat timeout: asks the broker for the end
     * offsets of the assigned partitions (the topic list if none), a small request, to tell a quiet
     * site from an unreachable broker. A failure only leaves {@link #lastContact} as it was.
     */
    private void contact(Instant now) {
      Instant last = lastContact;
      if (last == null || Duration.between(last, now).compareTo(properties.heartbeatTimeout()) > 0) {
        seeingSince = now;
      }
      lastContact = now;
    }

    private void probe() {
      Instant now = clock.instant();
      Duration half = properties.heartbeatTimeout().dividedBy(2);
      if (lastContact != null && Duration.between(lastContact, now).compareTo(half) < 0 && !heartbeatDue(now)) {
        return;
      }
      Duration timeout = half.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : half;
      try {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
          consumer.listTopics(timeout);
        } else {
          consumer.endOffsets(assigned, timeout);
        }
        contact(clock.instant());
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        contactError = "no answer within " + timeout.toMillis() + " ms";
      }
    }

    /**
     * Whether a heartbeat fell due since the broker was last heard from: only an answer after
     * that moment proves it lost, so the probe is made then rather than at its usual rhythm (a
     * quiet site otherwise learns of the loss up to half a heartbeat timeout late). Runs on the
     * consumer thread, which alone writes the instances, and only after an empty poll.
     */
    private boolean heartbeatDue(Instant now) {
      long contact = lastContact.toEpochMilli();
      long nowMs = now.toEpochMilli();
      long timeout = properties.heartbeatTimeout().toMillis();
      for (Instance i : instances.values()) {
        long due = i.lastHeartbeat + timeout;
        if (i.lastHeartbeat != NEVER && i.reported != SummaryState.OFFLINE && due > contact && due <= nowMs) {
          return true;
        }
      }
      return false;
    }

    private boolean isStateTopic(String rest) {
      int dot = rest.indexOf('.');
      return dot > 0 && STATE_EVENTS.contains(rest.substring(dot + 1).replaceFirst("^logevent_", ""))
          && rest.substring(dot + 1).startsWith("logevent_");
    }

    private void checkHistory() {
      if (historyRead || firstAssignment) {
        return;
      }
      readingHistory.removeIf(tp -> {
        Long pos = positions.get(tp);
        return pos != null && pos >= historyEnds.getOrDefault(tp, 0L) || consumer.position(tp) >= historyEnds.getOrDefault(tp, 0L);
      });
      if (readingHistory.isEmpty()) {
        historyRead = true;
        log.info("CSC monitor of {} has read the recent history: {} instances heard", site, instances.size());
      }
    }

    private static final Pattern TOPIC = Pattern.compile("lsst\\.[^.]+\\.([A-Za-z0-9]+)\\.logevent_([A-Za-z0-9_]+)");

    /**
     * Component and event of a topic, the instances seen on it and its last writer schema (parsed
     * once: this is the hot path, and a topic's records nearly always share one schema id).
     */
    private static final class TopicInfo {
      final String component;
      final String event;
      final String key;
      final boolean stateEvent;
      final CscId plain;
      final Map<Integer, CscId> indexed = new HashMap<>();
      int lastSchemaId;
      WriterSchema lastSchema;

      TopicInfo(String component, String event) {
        this.component = component;
        this.event = event;
        this.key = component + "." + event;
        this.stateEvent = STATE_EVENTS.contains(event);
        this.plain = CscId.of(component);
      }

      CscId instance(Object salIndex) {
        if (salIndex instanceof Number n) {
          int i = n.intValue();
          CscId id = indexed.get(i);
          if (id == null) {
            id = CscId.of(component, i);
            indexed.put(i, id);
          }
          return id;
        }
        return plain;
      }
    }

    private final Map<String, TopicInfo> topicInfo = new HashMap<>();

    private TopicInfo topicInfo(String topic) {
      TopicInfo info = topicInfo.get(topic);
      if (info == null) {
        Matcher m = TOPIC.matcher(topic);
        if (!m.matches()) {
          return null;
        }
        info = new TopicInfo(m.group(1), m.group(2));
        topicInfo.put(topic, info);
      }
      return info;
    }

    /** Starts fetching a writer schema on the fetcher threads, unless it is on its way already. */
    private void fetch(int schemaId) {
      if (!fetching.containsKey(schemaId)) {
        fetching.put(schemaId, CompletableFuture.supplyAsync(() -> registry.schemaById(site, schemaId), fetcher));
      }
    }

    /**
     * Collects the fetches that ended and resumes the partitions waiting for them: on a schema, an
     * unknown id (its records are then skipped as undecodable), or the end of a failed fetch's
     * back-off (its records then ask again).
     */
    private void resumeFetched() {
      if (fetching.isEmpty() && retryAfter.isEmpty()) {
        return;
      }
      Instant now = clock.instant();
      for (var it = fetching.entrySet().iterator(); it.hasNext(); ) {
        var f = it.next();
        if (!f.getValue().isDone()) {
          continue;
        }
        it.remove();
        int id = f.getKey();
        try {
          fetched.put(id, f.getValue().join());
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (cause instanceof SchemaRegistryException sre && sre.notFound()) {
            unknownIds.put(id, now);
          } else {
            if (!cause.toString().equals(fetchWarned.put(id, cause.toString()))) {
              log.warn("CSC monitor of {}: cannot fetch schema {}: {}; will retry", site, id,
                  cause.getMessage() == null ? cause.toString() : cause.getMessage());
            }
            retryAfter.put(id, now.plus(properties.retryBackoff()));
          }
        }
      }
      retryAfter.values().removeIf(t -> !now.isBefore(t));
      List<TopicPartition> resume = new ArrayList<>();
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var w = it.next();
        int id = w.getValue();
        if (!fetching.containsKey(id) && !retryAfter.containsKey(id)) {
          resume.add(w.getKey());
          it.remove();
        }
      }
      if (!resume.isEmpty()) {
        consumer.resume(resume);
      }
    }

    private boolean recentlyUnknown(int schemaId) {
      Instant unknownSince = unknownIds.get(schemaId);
      return unknownSince != null && clock.instant().isBefore(unknownSince.plusSeconds(30));
    }

    /** The writer schema of an id; null while it is being fetched from the registry (see {@link #fetch}). */
    private WriterSchema writerSchema(int schemaId) {
      WriterSchema ws = schemas.get(schemaId);
      if (ws != null) {
        return ws;
      }
      if (recentlyUnknown(schemaId)) {
        throw new SalAvro.SalDecodeException("schema id " + schemaId + " is unknown to the registry");
      }
      String why = broken.get(schemaId);
      if (why != null) {
        throw new SalAvro.SalDecodeException(why);
      }
      String text = fetched.remove(schemaId);
      if (text == null) {
        fetch(schemaId);
        return null;
      }
      fetchWarned.remove(schemaId);
      try {
        ws = new WriterSchema(new Schema.Parser().parse(text));
      } catch (RuntimeException e) {
        broken.put(schemaId, "schema id " + schemaId + " does not parse: " + e.getMessage());
        throw new SalAvro.SalDecodeException(broken.get(schemaId));
      }
      schemas.put(schemaId, ws);
      return ws;
    }

    /**
     * Applies one record: {@link #APPLIED}, or the schema id it waits for (being fetched: read it again then).
     * A state record nobody follows is read with the projection on salIndex and summaryState and
     * applied without allocating; a followed topic's records are decoded whole for the listeners.
     */
    private int handle(ConsumerRecord<byte[], byte[]> r) {
      TopicInfo info = topicInfo(r.topic());
      if (info == null) {
        return APPLIED;
      }
      byte[] value = r.value();
      boolean followed = recent.containsKey(info.key);
      GenericRecord full = null;
      WriterSchema ws;
      Object salIndex;
      Object summaryState;
      try {
        int schemaId = SalAvro.schemaId(value);
        if (schemaId < 0) {
          throw new SalAvro.SalDecodeException("negative schema id " + schemaId);
        }
        if (info.lastSchema != null && info.lastSchemaId == schemaId) {
          ws = info.lastSchema;
        } else {
          ws = writerSchema(schemaId);
          if (ws == null) {
            return schemaId;
          }
          info.lastSchemaId = schemaId;
          info.lastSchema = ws;
        }
        if (followed || !info.stateEvent) {
          full = ws.full().read(value);
          salIndex = full.hasField("salIndex") ? full.get("salIndex") : null;
          summaryState = full.hasField("summaryState") ? full.get("summaryState") : null;
        } else {
          SalAvro.Projection p = ws.state();
          GenericRecord projected = p.read(value);
          salIndex = ws.salIndexPos >= 0 ? projected.get(ws.salIndexPos) : null;
          summaryState = ws.summaryStatePos >= 0 ? projected.get(ws.summaryStatePos) : null;
        }
      } catch (SalAvro.SalDecodeException e) {
        undecodable(r, e.getMessage());
        return APPLIED;
      }
      CscId id;
      try {
        id = info.instance(salIndex);
      } catch (IllegalArgumentException e) {
        undecodable(r, e.getMessage());
        return APPLIED;
      }
      long now = clock.millis();
      long time = r.timestamp();
      if (time <= 0 || time > now) {
        time = now;
      }
      String event = info.event;
      if (event.equals("summaryState")) {
        SummaryState state = summaryState instanceof Number n ? stateOf(n.longValue()) : null;
        if (state == null) {
          undecodable(r, "summaryState " + summaryState + " is not a SAL state");
          return APPLIED;
        }
        Instance i = instance(id);
        synchronized (i) {
          i.reported = state;
          i.lastUpdate = Math.max(i.lastUpdate, time);
        }
      } else if (event.equals("heartbeat")) {
        Instance i = instance(id);
        synchronized (i) {
          i.lastHeartbeat = Math.max(i.lastHeartbeat, time);
          i.lastUpdate = Math.max(i.lastUpdate, time);
        }
      }
      applied.incrementAndGet();
      if (followed) {
        String component = info.component;
        SalEvent e = new SalEvent(site, id, event,
            java.util.Collections.unmodifiableMap(ws.full().toMap(full)), Instant.ofEpochMilli(time), r.offset());
        boolean history = r.offset() < historyEnds.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L);
        synchronized (this) {
          ArrayDeque<SalEvent> q = recent.get(info.key);
          if (q != null) {
            q.addLast(e);
            while (q.size() > RECENT_EVENTS) {
              q.removeFirst();
            }
          }
          // under the lock, so a subscriber replaying the buffer never gets an event twice
          for (Sub sub : subs) {
            if (sub.component.equals(component) && sub.event.equals(event) && (sub.replay || !history)) {
              deliver(sub, e);
            }
          }
        }
      }
      return APPLIED;
    }

    private Instance instance(CscId id) {
      Instance i = instances.get(id);
      return i != null ? i : instances.computeIfAbsent(id, k -> new Instance());
    }

    private void undecodable(ConsumerRecord<byte[], byte[]> r, String why) {
      AtomicLong n = undecodable.computeIfAbsent(r.topic(), k -> new AtomicLong());
      if (n.getAndIncrement() == 0) {
        // once per topic: a broken writer would otherwise flood the log
        log.warn("CSC monitor of {}: skipping undecodable record(s) on {} (first at offset {}): {}", site,
            r.topic(), r.offset(), why);
      }
    }
  }

  /**
   * The consumer's security properties for a site: SASL credentials from the environment variables
   * the site file names, truststore password from the one {@code upgrade.kafka} names.
   */
  static Map<String, Object> security(KafkaProperties kafka, Site s, Function<String, String> env) {
    String site = s.id();
    Map<String, Object> p = new HashMap<>();
    p.put("security.protocol", kafka.securityProtocol());
    if (kafka.sasl()) {
      Site.Credentials c = s.credentials();
      String userEnv = c == null ? null : c.kafkaUsernameEnv();
      String passEnv = c == null ? null : c.kafkaPasswordEnv();
      String user = userEnv == null ? null : env.apply(userEnv);
      String pass = passEnv == null ? null : env.apply(passEnv);
      if (user == null || user.isEmpty() || pass == null || pass.isEmpty()) {
        throw new IllegalStateException("Kafka SASL for site '" + site + "' needs the environment variables "
            + "credentials.kafka-username-env (" + userEnv + ") and kafka-password-env (" + passEnv + ") set");
      }
      p.put("sasl.mechanism", kafka.saslMechanism());
      String module = kafka.saslMechanism().startsWith("SCRAM")
          ? "org.apache.kafka.common.security.scram.ScramLoginModule"
          : "org.apache.kafka.common.security.plain.PlainLoginModule";
      p.put("sasl.jaas.config", module + " required username=\"" + jaasQuote(user) + "\" password=\""
          + jaasQuote(pass) + "\";");
    }
    if (kafka.ssl() && kafka.sslTruststoreLocation() != null) {
      p.put("ssl.truststore.location", kafka.sslTruststoreLocation());
      p.put("ssl.truststore.type", kafka.sslTruststoreType());
      if (kafka.sslTruststorePasswordEnv() != null) {
        String pw = env.apply(kafka.sslTruststorePasswordEnv());
        if (pw == null) {
          throw new IllegalStateException("upgrade.kafka.ssl-truststore-password-env names "
              + kafka.sslTruststorePasswordEnv() + ", which is not set");
        }
        p.put("ssl.truststore.password", pw);
      }
    }
    return p;
  }

  private static String jaasQuote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
