package org.lsst.ts.upgrade.rehearsal;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.SalAvro;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;
import org.springframework.stereotype.Component;

/**
 * The twin's Kafka side: one real broker ({@link TwinKafkaBroker}) serving every site, each site
 * with its own topic subname (its id: {@code lsst.summit.ATDome.logevent_heartbeat}), and one
 * schema-registry server ({@link TwinSchemaRegistry}, a registry per site under
 * {@code /<site>}). Points every site's {@code kafka-bootstrap}, {@code kafka-topic-subname} and
 * {@code schema-registry} at them, creates the inventory's event topics, and lets other twin
 * servers publish any SAL event with {@link #publish}. The broker's start and the topics' creation
 * are timed as startup steps ({@code upgrade.twin.*}, the startup report's).
 */
@Component
@Profile("rehearsal")
public class TwinKafka {
  private static final Logger log = LoggerFactory.getLogger(TwinKafka.class);
  /** Events whose topics exist from the start for every component of the inventory. */
  static final List<String> CSC_EVENTS = List.of("summaryState", "heartbeat");

  private final SimulatedSites sites;
  private final ActionLog actions;
  /** When the schema registry's request on this thread arrived (its server answers each on one thread). */
  private final ThreadLocal<Instant> requestStart = new ThreadLocal<>();
  private final TwinKafkaBroker broker;
  private final TwinSchemaRegistry registry;
  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  /** topic -> [schema id, schema] once registered. */
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();

  private record Registered(int id, Schema schema) {}

  public TwinKafka(SimulatedSites sites, ActionLog actions, LatencyModel latency, FaultRegistry faults,
      ApplicationStartup startup, RehearsalProperties rehearsal) {
    this.sites = sites;
    this.actions = actions;
    StartupStep brokerStart = startup.start("upgrade.twin.kafka-broker");
    this.broker = new TwinKafkaBroker();
    brokerStart.end();
    this.registry = new TwinSchemaRegistry(new TwinSchemaRegistry.Hooks() {
      @Override
      public int before(String site, String method, String path) {
        requestStart.set(actions.now());
        sleep(latency.of("schema-registry.request"));
        return faults.consult(site, "schema-registry", path)
            .map(f -> f.kind().startsWith("http-") ? Integer.parseInt(f.kind().substring(5)) : 500)
            .orElse(0);
      }

      @Override
      public void after(String site, String method, String path, int status, Map<String, Object> params) {
        var p = new java.util.LinkedHashMap<String, Object>(params);
        p.put("status", status);
        // from the request's arrival: its latency is the site's time
        Instant start = requestStart.get();
        requestStart.remove();
        actions.record(site, "schema-registry", site + path.substring(site.length() + 1), method, p,
            start == null ? actions.now() : start);
      }
    });
    for (Site s : sites.all()) {
      sites.update(s.id(), site -> {
        var e = site.endpoints();
        return site.withEndpoints(new Site.Endpoints(e.love(), e.argocd(), e.chronograf(), e.nublado(),
            registry.url(site.id()), broker.bootstrapServers(), site.id(), e.kubernetesApiUrl()));
      });
    }
    this.admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers(),
        "default.api.timeout.ms", 15000, "request.timeout.ms", 10000));
    long delivery = rehearsal.kafkaDeliveryTimeout().toMillis();
    this.producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(),
        "acks", "1",
        "linger.ms", 5,
        "max.block.ms", 5000,
        // an event the broker does not take (Kafka down) is dropped after this, as a SAL writer's
        "delivery.timeout.ms", (int) delivery,
        "request.timeout.ms", (int) Math.min(10000, delivery - 5),
        "enable.idempotence", false,
        "key.serializer", StringSerializer.class,
        "value.serializer", ByteArraySerializer.class));
    List<String> initial = new ArrayList<>();
    for (Site s : sites.all()) {
      Set<String> components = new LinkedHashSet<>();
      s.cscs().forEach(c -> components.add(c.id().component()));
      for (String component : components) {
        CSC_EVENTS.forEach(ev -> initial.add(SalAvro.topic(s.id(), component, ev)));
      }
      initial.add(SalAvro.topic(s.id(), "ScriptQueue", "script"));
    }
    StartupStep topicCreation = startup.start("upgrade.twin.topics").tag("topics", String.valueOf(initial.size()));
    createTopics(initial);
    topicCreation.end();
  }

  /** Bootstrap servers of the twin broker. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The broker itself (tests stop and start it). */
  public TwinKafkaBroker broker() {
    return broker;
  }

  public TwinSchemaRegistry registry() {
    return registry;
  }

  /**
   * Publishes a SAL event of a site's CSC as a SAL writer does: registers the event's schema under
   * {@code <topic>-value} (first time), sends the Confluent-framed Avro record keyed like salobj.
   * The event must be one of {@link SalAvro#KNOWN_EVENTS}; private fields are filled in. Does not
   * wait for the broker's acknowledgement.
   */
  public void publish(String site, CscId id, String event, Map<String, ?> fields) {
    publish(site, id, event, SalAvro.eventSchema(id.component(), id.indexed(), event), fields);
  }

  /** Like {@link #publish(String, CscId, String, Map)} with an explicit writer schema. */
  public void publish(String site, CscId id, String event, Schema schema, Map<String, ?> fields) {
    String topic = topic(site, id.component(), event);
    byte[] value = SalAvro.encode(schemaId(site, topic, schema), schema, id, fields);
    sendRaw(topic, key(id, event), value);
    if (!event.equals("heartbeat")) {
      actions.record(site, "kafka", site + "/" + id, "publish " + event, fields);
    }
  }

  /** Sends raw bytes to a site's event topic (tests: corrupt payloads). Creates the topic if needed. */
  public void sendRaw(String site, CscId id, String event, byte[] value) {
    sendRaw(topic(site, id.component(), event), key(id, event), value);
  }

  /** Registers a schema for a site's event topic and returns its id (tests: writer schemas). */
  public int register(String site, String component, String event, Schema schema) {
    String topic = topic(site, component, event);
    return registry.register(site, SalAvro.subject(topic), schema.toString());
  }

  /** Waits until everything sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  private String topic(String site, String component, String event) {
    String topic = SalAvro.topic(sites.require(site).endpoints().kafkaTopicSubname(), component, event);
    if (!topics.contains(topic)) {
      createTopics(List.of(topic));
    }
    return topic;
  }

  private int schemaId(String site, String topic, Schema schema) {
    Registered r = registered.get(topic);
    if (r == null || !r.schema().equals(schema)) {
      r = new Registered(registry.register(site, SalAvro.subject(topic), schema.toString()), schema);
      registered.put(topic, r);
    }
    return r.id();
  }

  private void sendRaw(String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
      if (e != null) {
        log.debug("twin could not publish to {}: {}", topic, e.toString());
      }
    });
  }

  private static String key(CscId id, String event) {
    return "{\"name\": \"" + id.component() + "\", \"index\": " + id.salIndex() + ", \"topic\": \"logevent_" + event + "\"}";
  }

  private synchronized void createTopics(List<String> names) {
    List<NewTopic> missing = names.stream().filter(n -> !topics.contains(n)).distinct()
        .map(n -> new NewTopic(n, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))
        .toList();
    if (missing.isEmpty()) {
      return;
    }
    var results = admin.createTopics(missing).values();
    for (var e : results.entrySet()) {
      try {
        e.getValue().get(30, TimeUnit.SECONDS);
        topics.add(e.getKey());
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof TopicExistsException) {
          topics.add(e.getKey());
        } else {
          throw new IllegalStateException("twin cannot create topic " + e.getKey() + ": " + ex.getCause(), ex);
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topic " + e.getKey(), ex);
      } catch (TimeoutException ex) {
        throw new IllegalStateException("twin broker did not create topic " + e.getKey() + " in time", ex);
      }
    }
    awaitLeaders(missing.stream().map(NewTopic::name).toList());
  }

  /**
   * A created topic is not writable on the broker for a moment: a record sent then is refused
   * (NOT_LEADER_OR_FOLLOWER, a WARN line per record and a retry). Publish only once the broker
   * answers for every new partition's log (the admin client retries ListOffsets until it does).
   */
  private void awaitLeaders(List<String> names) {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> partitions = new java.util.HashMap<>();
    names.forEach(n -> partitions.put(new org.apache.kafka.common.TopicPartition(n, 0),
        org.apache.kafka.clients.admin.OffsetSpec.latest()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException ex) {
        // a topic just created can be unknown to the broker's metadata for a moment: the admin
        // client answers that at once rather than retrying it, so ask again shortly
        if (ex.getCause() instanceof org.apache.kafka.common.errors.InvalidMetadataException
            && System.nanoTime() < deadline) {
          sleep(Duration.ofMillis(50));
          continue;
        }
        log.warn("twin broker has not opened {} new topic(s) yet ({}): publishing anyway", names.size(), ex.toString());
        return;
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  void stop() {
    producer.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
    registry.close();
    broker.close();
  }
}
