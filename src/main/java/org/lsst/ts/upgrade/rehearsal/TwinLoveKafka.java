package org.lsst.ts.upgrade.rehearsal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.SalAvro;
import org.lsst.ts.upgrade.love.QueueEvent;
import org.lsst.ts.upgrade.love.ScriptEvent;
import org.lsst.ts.upgrade.love.ScriptStates;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Publishes the twin ScriptQueues' {@code script} and {@code queue} events on the twin's Kafka, as
 * the real ScriptQueue does. The {@code queue} event carries its two index arrays as ts_xml
 * declares them (400 elements, zero-padded; {@code length} and {@code pastLength} say how many
 * count): the scripts waiting, in order, and those that ran, newest first.
 */
@Component
@Profile("rehearsal")
class TwinLoveKafka implements TwinLoveQueues.Listener {

  static final List<SalAvro.FieldSpec> QUEUE_FIELDS = List.of(
      new SalAvro.FieldSpec("enabled", Schema.Type.BOOLEAN),
      new SalAvro.FieldSpec("running", Schema.Type.BOOLEAN),
      new SalAvro.FieldSpec("currentSalIndex", Schema.Type.INT),
      new SalAvro.FieldSpec("length", Schema.Type.INT),
      new SalAvro.FieldSpec("salIndices", Schema.Type.ARRAY),
      new SalAvro.FieldSpec("pastLength", Schema.Type.INT),
      new SalAvro.FieldSpec("pastSalIndices", Schema.Type.ARRAY));
  /** ts_xml's size of the queue event's index arrays (and the queue's MAX_HISTORY). */
  static final int INDEX_ARRAY_SIZE = 400;

  private final TwinKafka kafka;
  private final Map<String, Map<Integer, double[]>> stamps = new java.util.concurrent.ConcurrentHashMap<>();

  TwinLoveKafka(TwinLoveQueues queues, TwinKafka kafka) {
    this.kafka = kafka;
    queues.addListener(this);
    // a ScriptQueue publishes its queue event when it starts: the topics exist from the start
    for (TwinLoveQueues.Queue q : queues.all()) {
      queue(q.site, q.event());
    }
  }

  @Override
  public void script(String site, ScriptEvent e) {
    double now = System.currentTimeMillis() / 1000.0;
    // the script event carries when each phase started; keep them per script
    double[] t = stamps.computeIfAbsent(site, k -> new java.util.concurrent.ConcurrentHashMap<>())
        .computeIfAbsent(e.scriptSalIndex(), k -> new double[5]);
    if (e.processState() >= ScriptStates.P_LOADING && t[0] == 0) {
      t[0] = now;
    }
    if (e.processState() >= ScriptStates.P_CONFIGURED && t[1] == 0) {
      t[1] = now;
      t[2] = now;
    }
    if (e.processState() >= ScriptStates.P_RUNNING && t[3] == 0) {
      t[3] = now;
    }
    if (e.ended()) {
      t[4] = now;
      stamps.get(site).remove(e.scriptSalIndex());
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("scriptSalIndex", e.scriptSalIndex());
    f.put("path", e.path());
    f.put("isStandard", e.standard());
    f.put("processState", e.processState());
    f.put("scriptState", e.scriptState());
    f.put("timestampProcessStart", t[0]);
    f.put("timestampConfigureStart", t[1]);
    f.put("timestampConfigureEnd", t[2]);
    f.put("timestampRunStart", t[3]);
    f.put("timestampProcessEnd", t[4]);
    kafka.publish(site, CscId.of("ScriptQueue", e.queue()), "script", f);
  }

  @Override
  public void queue(String site, QueueEvent e) {
    CscId id = CscId.of("ScriptQueue", e.queue());
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("enabled", e.enabled());
    f.put("running", e.running());
    f.put("currentSalIndex", e.currentSalIndex());
    f.put("length", Math.min(e.salIndices().size(), INDEX_ARRAY_SIZE));
    f.put("salIndices", padded(e.salIndices()));
    f.put("pastLength", Math.min(e.pastSalIndices().size(), INDEX_ARRAY_SIZE));
    f.put("pastSalIndices", padded(e.pastSalIndices()));
    kafka.publish(site, id, "queue", SalAvro.eventSchema("ScriptQueue", true, "queue", QUEUE_FIELDS), f);
  }

  private static List<Integer> padded(List<Integer> indices) {
    List<Integer> l = new java.util.ArrayList<>(indices.subList(0, Math.min(indices.size(), INDEX_ARRAY_SIZE)));
    while (l.size() < INDEX_ARRAY_SIZE) {
      l.add(0);
    }
    return l;
  }
}
