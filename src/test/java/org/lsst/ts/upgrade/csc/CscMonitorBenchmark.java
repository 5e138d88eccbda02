package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.rehearsal.TwinKafkaBroker;
import org.lsst.ts.upgrade.rehearsal.TwinSchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.HttpSchemaRegistry;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistryProperties;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * Benchmark of the CSC monitor (not run by the test suite: the name does not end in Tests).
 * <pre>
 * ./mvnw -B -q test -Dtest=CscMonitorBenchmark -Dsurefire.failIfNoSpecifiedTests=false; cat target/benchmarks/csc.txt
 * </pre>
 * Throughput: records decoded and applied per second by the monitor against a plain consumer
 * reading the same records from the same broker. Detection latency: from a CSC's last heartbeat
 * to the monitor calling it effectively OFFLINE, against the configured heartbeat timeout.
 */
class CscMonitorBenchmark {
  static final String SITE = "tts";
  static final int COMPONENTS = Integer.getInteger("bench.components", 100);
  static final int RECORDS = Integer.getInteger("bench.records", 200_000);
  static final int LOST = Integer.getInteger("bench.lost", 20);
  /** Longest wait for the records to be read, by the plain consumer or the monitor. */
  static final Duration READ_DEADLINE = Duration.ofMinutes(10);

  @Test
  void run() throws Exception {
    List<String> out = new ArrayList<>();
    try (TwinKafkaBroker broker = new TwinKafkaBroker(); TwinSchemaRegistry registry = new TwinSchemaRegistry(null)) {
      Sites sites = new Sites(new SiteProperties(null));
      for (String s : sites.ids()) {
        sites = sites.with(s, site -> {
          var e = site.endpoints();
          return site.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
              registry.url(s), broker.bootstrapServers(), s, e.kubernetesApiUrl()));
        });
      }
      List<String> topics = new ArrayList<>();
      for (int i = 0; i < COMPONENTS; i++) {
        topics.add(SalAvro.topic(SITE, "Bench" + i, "heartbeat"));
      }
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
      }
      Map<String, Object> pc = Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "1",
          "linger.ms", 5, "batch.size", 65536, "key.serializer", StringSerializer.class,
          "value.serializer", ByteArraySerializer.class);
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < COMPONENTS; i++) {
        Schema s = SalAvro.eventSchema("Bench" + i, false, "heartbeat");
        int id = registry.register(SITE, SalAvro.subject(topics.get(i)), s.toString());
        values.add(SalAvro.encode(id, s, CscId.of("Bench" + i), Map.of("heartbeat", true)));
      }
      try (var producer = new KafkaProducer<String, byte[]>(pc)) {
        for (int n = 0; n < RECORDS; n++) {
          int i = n % COMPONENTS;
          producer.send(new ProducerRecord<>(topics.get(i), "k" + i, values.get(i)));
        }
        producer.flush();
      }

      // plain consumer: only reads the bytes
      long t0 = System.nanoTime();
      AtomicLong read = new AtomicLong();
      try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrapServers(),
          "key.deserializer", ByteArrayDeserializer.class, "value.deserializer", ByteArrayDeserializer.class,
          "max.poll.records", 5000, "enable.auto.commit", false))) {
        List<TopicPartition> tps = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        // polls back to back, in this thread (the consumer is single-threaded), as a plain loop would
        await().atMost(READ_DEADLINE).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ZERO)
            .until(() -> read.addAndGet(consumer.poll(Duration.ofMillis(100)).count()) >= RECORDS);
      }
      double plainSeconds = (System.nanoTime() - t0) / 1e9;

      // the monitor: reads, fetches the 100 writer schemas, decodes (projection on salIndex/summaryState), applies
      CscProperties props = new CscProperties(Duration.ofSeconds(5), RECORDS, Duration.ofSeconds(5),
          Duration.ofMillis(100), Duration.ofMillis(200));
      KafkaCscMonitor monitor = new KafkaCscMonitor(sites,
          new HttpSchemaRegistry(sites, new SchemaRegistryProperties(Duration.ofSeconds(2), Duration.ofSeconds(5))),
          props, KafkaProperties.plaintext());
      long t1 = System.nanoTime();
      monitor.start();
      try {
        AtomicLong firstApplied = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        await().atMost(READ_DEADLINE).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
            .until(() -> {
              long n = monitor.applied(SITE);
              if (n >= RECORDS) {
                return true;
              }
              if (firstAt.get() == 0 && n > 0) {
                firstApplied.set(n);
                firstAt.set(System.nanoTime());
              }
              return false;
            });
        long end = System.nanoTime();
        double monitorSeconds = (end - t1) / 1e9;
        double steadySeconds = (end - firstAt.get()) / 1e9;
        out.add(String.format(Locale.ROOT, "CSC monitor throughput: %d heartbeat records on %d topics", RECORDS, COMPONENTS));
        out.add(String.format(Locale.ROOT, "  plain consumer : %10.0f records/s (%.2f s)", RECORDS / plainSeconds, plainSeconds));
        out.add(String.format(Locale.ROOT, "  monitor        : %10.0f records/s (%.2f s, decoded and applied)",
            RECORDS / monitorSeconds, monitorSeconds));
        out.add(String.format(Locale.ROOT, "  ratio monitor/plain: %.2f", plainSeconds / monitorSeconds));
        out.add(String.format(Locale.ROOT, "  monitor once started (assignment, offsets and %d schema fetches done): %.0f records/s",
            COMPONENTS, (RECORDS - firstApplied.get()) / steadySeconds));

        // detection latency: LOST CSCs beat at 1 Hz, then stop one after the other
        try (var producer = new KafkaProducer<String, byte[]>(pc)) {
          List<Long> lastBeat = new ArrayList<>();
          List<Double> snapshotLatency = new ArrayList<>();
          List<CompletableFuture<Long>> awaited = new ArrayList<>();
          for (int i = 0; i < LOST; i++) {
            lastBeat.add(0L);
          }
          // three beats each at 1 Hz, then silence; the last send time is the reference
          ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
          try {
            List<ScheduledFuture<?>> rounds = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
              rounds.add(beats.schedule(() -> {
                for (int i = 0; i < LOST; i++) {
                  lastBeat.set(i, System.nanoTime());
                  producer.send(new ProducerRecord<>(topics.get(i), "k" + i, values.get(i))).get();
                }
                return null;
              }, round, TimeUnit.SECONDS));
            }
            for (ScheduledFuture<?> r : rounds) {
              r.get(30, TimeUnit.SECONDS);
            }
          } finally {
            beats.shutdownNow();
          }
          for (int i = 0; i < LOST; i++) {
            CscId id = CscId.of("Bench" + i);
            awaited.add(monitor.await(SITE, List.of(id), s -> s.effectiveState() == SummaryState.OFFLINE,
                Duration.ofSeconds(30)).thenApply(r -> System.nanoTime()));
          }
          boolean[] seen = new boolean[LOST];
          int[] left = {LOST};
          await().atMost(props.heartbeatTimeout().plusSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
              .pollInterval(Duration.ofMillis(2)).until(() -> {
                for (int i = 0; i < LOST; i++) {
                  if (!seen[i] && monitor.statusOf(SITE, List.of(CscId.of("Bench" + i))).get(0).effectiveState()
                      == SummaryState.OFFLINE) {
                    seen[i] = true;
                    left[0]--;
                    snapshotLatency.add((System.nanoTime() - lastBeat.get(i)) / 1e6);
                  }
                }
                return left[0] == 0;
              });
          List<Double> awaitLatency = new ArrayList<>();
          for (int i = 0; i < LOST; i++) {
            awaitLatency.add((awaited.get(i).get(60, TimeUnit.SECONDS) - lastBeat.get(i)) / 1e6);
          }
          out.add(String.format(Locale.ROOT, "Detection latency (%d CSCs, heartbeat timeout %d ms):", LOST,
              props.heartbeatTimeout().toMillis()));
          out.add(stats("  statusOf polled every 2 ms", snapshotLatency, props.heartbeatTimeout()));
          out.add(stats("  await() future            ", awaitLatency, props.heartbeatTimeout()));
        }
      } finally {
        monitor.stop();
      }
    }
    out.addAll(decodeCost());
    String text = String.join(System.lineSeparator(), out) + System.lineSeparator();
    System.out.print(text);
    Path file = Path.of("target", "benchmarks", "csc.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String stats(String label, List<Double> ms, Duration timeout) {
    double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double max = ms.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double min = ms.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    return String.format(Locale.ROOT, "%s: mean %.0f ms, min %.0f ms, max %.0f ms (timeout + %.0f ms on average)",
        label, mean, min, max, mean - timeout.toMillis());
  }

  /**
   * The decoding alone, in this thread, for an indexed summaryState record: time and bytes
   * allocated per record with the writer schema (every field into a new record) and with the
   * monitor's projection on salIndex and summaryState (one reused record).
   */
  private static List<String> decodeCost() {
    Schema writer = SalAvro.eventSchema("Bench", true, "summaryState");
    byte[] value = SalAvro.encode(1, writer, CscId.of("Bench", 7), Map.of("summaryState", 2));
    SalAvro.Reader full = new SalAvro.Reader(writer);
    SalAvro.Projection projection = new SalAvro.Projection(writer, List.of("salIndex", "summaryState"));
    int n = 2_000_000;
    long sink = 0;
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      sink += decodeLoop(full, null, value, n / 4)[0] + decodeLoop(null, projection, value, n / 4)[0];
    }
    long[] f = decodeLoop(full, null, value, n);
    long[] p = decodeLoop(null, projection, value, n);
    return List.of(String.format(Locale.ROOT, "Decoding alone (%d summaryState records, %d bytes each; check %d):",
            n, value.length, sink % 2),
        String.format(Locale.ROOT, "  writer schema, every field : %6.0f ns, %5.0f bytes allocated per record",
            f[0] / (double) n, f[1] / (double) n),
        String.format(Locale.ROOT, "  projection (salIndex, summaryState): %6.0f ns, %5.0f bytes allocated per record",
            p[0] / (double) n, p[1] / (double) n));
  }

  private static long[] decodeLoop(SalAvro.Reader full, SalAvro.Projection projection, byte[] value, int n) {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long bytes0 = threads.getThreadAllocatedBytes(id);
    long t0 = System.nanoTime();
    long sum = 0;
    for (int i = 0; i < n; i++) {
      var r = full != null ? full.read(value) : projection.read(value);
      sum += ((Number) r.get("summaryState")).intValue();
    }
    long t = System.nanoTime() - t0;
    long bytes = threads.getThreadAllocatedBytes(id) - bytes0;
    return new long[] {t + (sum == 42 ? 1 : 0), bytes};
  }
}
