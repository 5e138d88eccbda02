package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * The SAL event encoding on Kafka (Sasquatch), shared by the monitor and the rehearsal twin so both
 * sides speak exactly the same format: Avro records named {@code logevent_<event>} in namespace
 * {@code lsst.sal.<Component>}, with {@code salIndex} (indexed components only), the
 * {@code private_*} fields and then the event's own fields; values in the Confluent wire format
 * (byte 0, 4-byte big-endian schema id, Avro binary).
 */
public final class SalAvro {
  private SalAvro() {}

  /**
   * An event field: name and Avro primitive type ({@code int}, {@code long}, {@code double}, {@code boolean},
   * {@code string}), or {@code ARRAY}: an array of int, as SAL's fixed-size index arrays (the ScriptQueue
   * {@code queue} event's {@code salIndices}, {@code pastSalIndices}) are written.
   */
  public record FieldSpec(String name, Schema.Type type) {}

  /** The events whose own fields are known here (ts_xml): summaryState, heartbeat, and ScriptQueue's script. */
  public static final Map<String, List<FieldSpec>> KNOWN_EVENTS = Map.of(
      "summaryState", List.of(new FieldSpec("summaryState", Schema.Type.INT)),
      "heartbeat", List.of(new FieldSpec("heartbeat", Schema.Type.BOOLEAN)),
      // ScriptQueue logevent_script (ts_xml), without descr and the less useful fields
      "script", List.of(
          new FieldSpec("scriptSalIndex", Schema.Type.INT),
          new FieldSpec("path", Schema.Type.STRING),
          new FieldSpec("isStandard", Schema.Type.BOOLEAN),
          new FieldSpec("processState", Schema.Type.INT),
          new FieldSpec("scriptState", Schema.Type.INT),
          new FieldSpec("timestampProcessStart", Schema.Type.DOUBLE),
          new FieldSpec("timestampConfigureStart", Schema.Type.DOUBLE),
          new FieldSpec("timestampConfigureEnd", Schema.Type.DOUBLE),
          new FieldSpec("timestampRunStart", Schema.Type.DOUBLE),
          new FieldSpec("timestampProcessEnd", Schema.Type.DOUBLE)));

  private static final List<FieldSpec> PRIVATE_FIELDS = List.of(
      new FieldSpec("private_sndStamp", Schema.Type.DOUBLE),
      new FieldSpec("private_rcvStamp", Schema.Type.DOUBLE),
      new FieldSpec("private_efdStamp", Schema.Type.DOUBLE),
      new FieldSpec("private_kafkaStamp", Schema.Type.DOUBLE),
      new FieldSpec("private_seqNum", Schema.Type.INT),
      new FieldSpec("private_revCode", Schema.Type.STRING),
      new FieldSpec("private_identity", Schema.Type.STRING),
      new FieldSpec("private_origin", Schema.Type.INT));

  private static final Set<Schema.Type> PRIMITIVES = Set.of(Schema.Type.INT, Schema.Type.LONG,
      Schema.Type.DOUBLE, Schema.Type.FLOAT, Schema.Type.BOOLEAN, Schema.Type.STRING);

  /** The Kafka topic of an event: {@code lsst.<subname>.<Component>.logevent_<event>}. */
  public static String topic(String subname, String component, String event) {
    return "lsst." + subname + "." + component + ".logevent_" + event;
  }

  /** The schema-registry subject of a topic's values. */
  public static String subject(String topic) {
    return topic + "-value";
  }

  /** The schema of a known event ({@link #KNOWN_EVENTS}); an unknown event is an IllegalArgumentException. */
  public static Schema eventSchema(String component, boolean indexed, String event) {
    List<FieldSpec> own = KNOWN_EVENTS.get(event);
    if (own == null) {
      throw new IllegalArgumentException("no schema known for SAL event '" + event + "'; known: "
          + KNOWN_EVENTS.keySet() + " (use the overload that takes the fields)");
    }
    return eventSchema(component, indexed, event, own);
  }

  /** The schema of an event given its own fields; {@code integerType} INT as salobj writes, LONG as some C++ writers do. */
  public static Schema eventSchema(String component, boolean indexed, String event, List<FieldSpec> own) {
    return eventSchema(component, indexed, event, own, Schema.Type.INT);
  }

  /**
   * Like {@link #eventSchema(String, boolean, String, List)} with every integer field (salIndex,
   * private_seqNum, private_origin and the event's int fields) written as {@code integerType}.
   */
  public static Schema eventSchema(String component, boolean indexed, String event, List<FieldSpec> own,
      Schema.Type integerType) {
    CscId.of(component); // validates the name: it becomes part of a topic and a namespace
    if (event == null || !event.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException("invalid SAL event name '" + event + "'");
    }
    var fields = SchemaBuilder.record("logevent_" + event).namespace("lsst.sal." + component).fields();
    List<FieldSpec> all = new ArrayList<>();
    if (indexed) {
      all.add(new FieldSpec("salIndex", Schema.Type.INT));
    }
    all.addAll(PRIVATE_FIELDS);
    all.addAll(own);
    for (FieldSpec f : all) {
      if (f.type() == Schema.Type.ARRAY) {
        fields = fields.name(f.name()).type(Schema.createArray(Schema.create(integerType))).noDefault();
        continue;
      }
      if (!PRIMITIVES.contains(f.type())) {
        throw new IllegalArgumentException("field " + f.name() + " of " + event + ": type " + f.type() + " not supported");
      }
      Schema.Type t = f.type() == Schema.Type.INT ? integerType : f.type();
      fields = fields.name(f.name()).type(Schema.create(t)).noDefault();
    }
    return fields.endRecord();
  }

  /** The CSC instance an event describes: the component from the schema's namespace, the index from salIndex. */
  public static CscId instance(String component, Map<String, Object> fields) {
    Object idx = fields.get("salIndex");
    return idx instanceof Number n ? CscId.of(component, n.intValue()) : CscId.of(component);
  }

  /**
   * Avro binary of a record of this schema with the given field values; private fields not given
   * are filled as salobj would (stamps now, seqNum 0, identity {@code id}, origin this pid).
   * Numbers are converted to the schema's type; a missing event field is an error naming it.
   */
  public static byte[] avroBinary(Schema schema, CscId id, Map<String, ?> values) {
    double now = System.currentTimeMillis() / 1000.0;
    GenericData.Record r = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields()) {
      Object v = values.get(f.name());
      if (v == null) {
        v = switch (f.name()) {
          case "salIndex" -> id.salIndex();
          case "private_sndStamp", "private_rcvStamp", "private_efdStamp", "private_kafkaStamp" -> now;
          case "private_seqNum" -> 0;
          case "private_revCode" -> "twin";
          case "private_identity" -> id.toString();
          case "private_origin" -> (int) ProcessHandle.current().pid();
          default -> throw new IllegalArgumentException("field '" + f.name() + "' of " + schema.getFullName()
              + " has no value (given: " + values.keySet() + ")");
        };
      }
      r.put(f.name(), convert(f, v, schema));
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(128);
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + schema.getFullName(), e);
    }
  }

  private static Object convert(Schema.Field f, Object v, Schema schema) {
    Schema.Type t = f.schema().getType();
    try {
      return switch (t) {
        case INT -> ((Number) v).intValue();
        case LONG -> ((Number) v).longValue();
        case DOUBLE -> ((Number) v).doubleValue();
        case FLOAT -> ((Number) v).floatValue();
        case BOOLEAN -> (Boolean) v;
        case STRING -> v.toString();
        case ARRAY -> ((java.util.Collection<?>) v).stream().map(n -> f.schema().getElementType().getType()
            == Schema.Type.LONG ? (Object) ((Number) n).longValue() : (Object) ((Number) n).intValue()).toList();
        default -> v;
      };
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("field '" + f.name() + "' of " + schema.getFullName() + " must be "
          + t + ", got " + v.getClass().getSimpleName() + " " + v);
    }
  }

  /** Confluent wire format: byte 0, 4-byte big-endian schema id, then the Avro binary. */
  public static byte[] frame(int schemaId, byte[] avro) {
    return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
  }

  /** Encodes a record and frames it: the value a SAL writer sends. */
  public static byte[] encode(int schemaId, Schema schema, CscId id, Map<String, ?> values) {
    return frame(schemaId, avroBinary(schema, id, values));
  }

  /** The schema id of a Confluent-framed value; a bad frame is a {@link SalDecodeException}. */
  public static int schemaId(byte[] value) {
    if (value == null || value.length < 5) {
      throw new SalDecodeException("value too short for the Confluent wire format ("
          + (value == null ? "null" : value.length + " bytes") + ")");
    }
    if (value[0] != 0) {
      throw new SalDecodeException("bad magic byte " + value[0] + " (expected 0)");
    }
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }

  /** Reads values with the writer schema they were written with. Thread-safe; cache one per schema id. */
  public static final class Reader {
    private final Schema writer;
    private final GenericDatumReader<GenericRecord> reader;

    public Reader(Schema writer) {
      this.writer = writer;
      this.reader = new GenericDatumReader<>(writer);
    }

    public Reader(String writerSchemaJson) {
      this(new Schema.Parser().parse(writerSchemaJson));
    }

    public Schema schema() {
      return writer;
    }

    /**
     * The fields of a framed value (strings as String, numbers as written: Integer or Long,
     * Double, Boolean), in schema order. Truncated or garbled bodies are a {@link SalDecodeException}.
     */
    public Map<String, Object> decode(byte[] value) {
      return toMap(read(value));
    }

    /** The record of a framed value, as Avro gives it (strings as Utf8); see {@link #decode}. */
    public GenericRecord read(byte[] value) {
      schemaId(value);
      try {
        BinaryDecoder dec = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        GenericRecord r = reader.read(null, dec);
        if (!dec.isEnd()) {
          throw new SalDecodeException("trailing bytes after the " + writer.getName() + " record");
        }
        return r;
      } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
        throw new SalDecodeException("cannot decode " + writer.getFullName() + ": " + e);
      }
    }

    /** The fields of a record in schema order, strings as String. */
    public Map<String, Object> toMap(GenericRecord r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Schema.Field f : writer.getFields()) {
        Object v = r.get(f.pos());
        out.put(f.name(), v instanceof Utf8 || v instanceof CharSequence ? v.toString() : v);
      }
      return out;
    }
  }

  /**
   * Reads only some fields of values written with one writer schema: a reader schema projected on
   * those fields (same record name, the writer's types), resolved against the writer schema once
   * (Avro schema resolution: the other fields are skipped, strings without being materialised).
   * Reuses its decoder and record, so a read allocates nothing of its own: the record returned is
   * valid until the next read. Not thread-safe: one per consumer thread (the CSC monitor keeps one
   * per site and writer schema id).
   */
  public static final class Projection {
    private final Schema writer;
    private final Schema projected;
    private final GenericDatumReader<GenericRecord> reader;
    private final Input input = new Input();
    private BinaryDecoder decoder;
    private GenericRecord reuse;

    /** The writer schema must be a record; fields it does not have are simply absent from the projection. */
    public Projection(Schema writer, List<String> fields) {
      if (writer.getType() != Schema.Type.RECORD) {
        throw new SalDecodeException("writer schema " + writer.getFullName() + " is a " + writer.getType()
            + ", not a record");
      }
      List<Schema.Field> kept = new ArrayList<>();
      for (String name : fields) {
        Schema.Field f = writer.getField(name);
        if (f != null) {
          kept.add(new Schema.Field(f.name(), f.schema(), null, (Object) null));
        }
      }
      this.writer = writer;
      this.projected = Schema.createRecord(writer.getName(), null, writer.getNamespace(), false, kept);
      this.reader = new GenericDatumReader<>(writer, projected);
    }

    public Schema writer() {
      return writer;
    }

    /** The position of a field in the records read, -1 if the writer schema does not have it. */
    public int position(String field) {
      Schema.Field f = projected.getField(field);
      return f == null ? -1 : f.pos();
    }

    /**
     * The projected record of a framed value (reused: valid until the next read). Truncated or
     * garbled bodies and trailing bytes are a {@link SalDecodeException}, as with {@link Reader}.
     */
    public GenericRecord read(byte[] value) {
      schemaId(value);
      try {
        // a direct decoder over a reused stream: the buffered one makes a byte source per value
        input.reset(value, 5);
        decoder = DecoderFactory.get().directBinaryDecoder(input, decoder);
        reuse = reader.read(reuse, decoder);
        if (input.available() > 0) {
          throw new SalDecodeException("trailing bytes after the " + writer.getName() + " record");
        }
        return reuse;
      } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
        // the reused record may be half-filled: start the next read from a fresh one
        reuse = null;
        throw new SalDecodeException("cannot decode " + writer.getFullName() + ": " + e);
      }
    }
  }

  /** A byte array read as a stream, reset for each value (allocation-free, unlike a new ByteArrayInputStream). */
  private static final class Input extends java.io.InputStream {
    private byte[] data = new byte[0];
    private int pos;

    void reset(byte[] data, int from) {
      this.data = data;
      this.pos = from;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(len, data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, data.length - pos));
      pos += (int) k;
      return k;
    }

    @Override
    public int available() {
      return data.length - pos;
    }
  }

  /** A value that is not a valid Confluent-framed Avro record of its writer schema. */
  public static final class SalDecodeException extends RuntimeException {
    public SalDecodeException(String message) {
      super(message);
    }
  }
}
