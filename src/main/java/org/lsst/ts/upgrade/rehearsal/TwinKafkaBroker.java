package org.lsst.ts.upgrade.rehearsal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (Kafka's own {@link KafkaRaftServer}, KRaft combined mode: broker and
 * controller in one node) on loopback, with its storage formatted in a temporary directory. It can
 * be stopped and started again on the same ports with its data, as a broker restart at a site.
 * Topics are not auto-created, as at the Summit.
 */
public final class TwinKafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TwinKafkaBroker.class);

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final int internalPort;
  private final String scramUser;
  private final String scramPassword;
  private final String clusterId = Uuid.randomUuid().toString();
  private KafkaRaftServer server;

  /** A PLAINTEXT broker (the rehearsal's). */
  public TwinKafkaBroker() {
    this(null, null);
  }

  /**
   * With a user: clients must authenticate with SASL/SCRAM-SHA-512 as at the sites (the user is
   * created when the storage is formatted, as {@code kafka-storage format --add-scram} does).
   */
  public TwinKafkaBroker(String scramUser, String scramPassword) {
    this.scramUser = scramUser;
    this.scramPassword = scramPassword;
    try {
      this.dir = Files.createTempDirectory("twin-kafka-");
      this.port = freePort();
      this.controllerPort = freePort();
      this.internalPort = scramUser == null ? 0 : freePort();
      format();
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the twin Kafka broker: " + e.getMessage(), e);
    }
    start();
  }

  /** {@code 127.0.0.1:<port>}: the bootstrap servers of this broker. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public synchronized boolean running() {
    return server != null;
  }

  /** Starts it (again) on the same ports with the same data; returns once it serves. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(config(), false), Time.SYSTEM);
    s.startup();
    server = s;
    log.info("Twin Kafka broker listening on {}", bootstrapServers());
  }

  /** Stops it (clients see the broker go away); {@link #start()} brings it back. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  @Override
  public synchronized void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("could not delete {}: {}", dir, e.toString());
    }
  }

  private Properties config() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    if (scramUser == null) {
      p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("inter.broker.listener.name", "PLAINTEXT");
    } else {
      p.put("listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort
          + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort);
      p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("inter.broker.listener.name", "INTERNAL");
      p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
      p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    p.put("controller.listener.names", "CONTROLLER");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("metadata.log.dir", dir.resolve("meta").toString());
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    p.put("log.cleaner.threads", "1");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
    p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
    // a controlled shutdown fences the broker's registration on the way down: without it the
    // restarted controller refuses the broker's new registration until the old one's session has
    // expired (broker.session.timeout.ms, 9 s), and a restart took 10 s instead of 0.3 s
    p.put("controlled.shutdown.enable", "true");
    p.put("unclean.leader.election.enable", "true");
    return p;
  }

  /** Formats the storage with Kafka's own {@code kafka-storage format} tool, as an operator would. */
  private void format() throws Exception {
    Path file = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(file)) {
      config().store(out, "twin Kafka broker");
    }
    var text = new java.io.ByteArrayOutputStream();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("format", "-t", clusterId, "-c", file.toString()));
    if (scramUser != null) {
      args.add("--add-scram");
      args.add("SCRAM-SHA-512=[name=" + scramUser + ",password=" + scramPassword + "]");
    }
    int rc = StorageTool.execute(args.toArray(String[]::new),
        new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("kafka-storage format failed (" + rc + "): " + text);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
