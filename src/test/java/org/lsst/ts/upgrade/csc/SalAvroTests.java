package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SalAvroTests {

  @Test
  void schemaFollowsTheContract() {
    Schema s = SalAvro.eventSchema("ScriptQueue", true, "summaryState");
    assertThat(s.getName()).isEqualTo("logevent_summaryState");
    assertThat(s.getNamespace()).isEqualTo("lsst.sal.ScriptQueue");
    assertThat(s.getFields()).extracting(Schema.Field::name).containsExactly("salIndex", "private_sndStamp",
        "private_rcvStamp", "private_efdStamp", "private_kafkaStamp", "private_seqNum", "private_revCode",
        "private_identity", "private_origin", "summaryState");
    assertThat(s.getField("summaryState").schema().getType()).isEqualTo(Schema.Type.INT);
    Schema plain = SalAvro.eventSchema("ATDome", false, "heartbeat");
    assertThat(plain.getField("salIndex")).isNull();
    assertThat(plain.getFields().get(0).name()).isEqualTo("private_sndStamp");
    assertThat(plain.getField("heartbeat").schema().getType()).isEqualTo(Schema.Type.BOOLEAN);
    Schema script = SalAvro.eventSchema("ScriptQueue", true, "script");
    assertThat(script.getField("scriptSalIndex").schema().getType()).isEqualTo(Schema.Type.INT);
    assertThat(script.getField("isStandard").schema().getType()).isEqualTo(Schema.Type.BOOLEAN);
    assertThat(script.getField("timestampProcessEnd").schema().getType()).isEqualTo(Schema.Type.DOUBLE);
    assertThat(SalAvro.topic("sal", "ATDome", "heartbeat")).isEqualTo("lsst.sal.ATDome.logevent_heartbeat");
  }

  @Test
  void decodesWithTheWriterSchemaWhetherIntegersAreIntOrLong() {
    CscId id = CscId.of("ESS", 104);
    for (Schema.Type t : new Schema.Type[] {Schema.Type.INT, Schema.Type.LONG}) {
      Schema writer = SalAvro.eventSchema("ESS", true, "summaryState",
          SalAvro.KNOWN_EVENTS.get("summaryState"), t);
      byte[] value = SalAvro.encode(7, writer, id, Map.of("summaryState", 5));
      assertThat(SalAvro.schemaId(value)).isEqualTo(7);
      Map<String, Object> f = new SalAvro.Reader(writer.toString()).decode(value);
      assertThat(f.get("summaryState")).isInstanceOf(t == Schema.Type.INT ? Integer.class : Long.class);
      assertThat(((Number) f.get("summaryState")).intValue()).isEqualTo(5);
      assertThat(SalAvro.instance("ESS", f)).isEqualTo(id);
      assertThat(f.get("private_identity")).isEqualTo("ESS:104");
    }
  }

  @Test
  void badFramesAreDecodeErrors() {
    Schema s = SalAvro.eventSchema("ATDome", false, "heartbeat");
    byte[] good = SalAvro.encode(1, s, CscId.of("ATDome"), Map.of("heartbeat", true));
    SalAvro.Reader reader = new SalAvro.Reader(s);
    byte[] badMagic = good.clone();
    badMagic[0] = 1;
    assertThatThrownBy(() -> reader.decode(badMagic)).isInstanceOf(SalAvro.SalDecodeException.class)
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> reader.decode(Arrays.copyOf(good, good.length - 3)))
        .isInstanceOf(SalAvro.SalDecodeException.class);
    assertThatThrownBy(() -> reader.decode(new byte[] {0, 0}))
        .isInstanceOf(SalAvro.SalDecodeException.class).hasMessageContaining("too short");
  }

  @Test
  void missingFieldIsAClearError() {
    Schema s = SalAvro.eventSchema("ScriptQueue", true, "script");
    assertThatThrownBy(() -> SalAvro.encode(1, s, CscId.of("ScriptQueue", 1), Map.of("path", "x.py")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scriptSalIndex");
  }

  @Test
  void projectionReadsOnlySalIndexAndSummaryStateOfAnyWriterSchema() {
    CscId id = CscId.of("ESS", 104);
    for (Schema.Type t : new Schema.Type[] {Schema.Type.INT, Schema.Type.LONG}) {
      Schema writer = SalAvro.eventSchema("ESS", true, "summaryState",
          SalAvro.KNOWN_EVENTS.get("summaryState"), t);
      SalAvro.Projection p = new SalAvro.Projection(writer, java.util.List.of("salIndex", "summaryState"));
      // the strings before summaryState (revCode, identity) are skipped, whatever their length
      var first = p.read(SalAvro.encode(7, writer, id, Map.of("summaryState", 5,
          "private_identity", "x".repeat(300))));
      assertThat(first.getSchema().getFields()).extracting(Schema.Field::name)
          .containsExactly("salIndex", "summaryState");
      assertThat(((Number) first.get(p.position("salIndex"))).intValue()).isEqualTo(104);
      assertThat(((Number) first.get(p.position("summaryState"))).intValue()).isEqualTo(5);
      var second = p.read(SalAvro.encode(7, writer, CscId.of("ESS", 3), Map.of("summaryState", 2)));
      assertThat(second).as("the record is reused").isSameAs(first);
      assertThat(((Number) second.get(p.position("salIndex"))).intValue()).isEqualTo(3);
      assertThat(((Number) second.get(p.position("summaryState"))).intValue()).isEqualTo(2);
    }
    // a heartbeat of a component without index: nothing to read, but the record is still checked
    Schema beat = SalAvro.eventSchema("ATDome", false, "heartbeat");
    SalAvro.Projection p = new SalAvro.Projection(beat, java.util.List.of("salIndex", "summaryState"));
    assertThat(p.position("salIndex")).isEqualTo(-1);
    byte[] good = SalAvro.encode(9, beat, CscId.of("ATDome"), Map.of("heartbeat", true));
    assertThat(p.read(good).getSchema().getFields()).isEmpty();
    assertThatThrownBy(() -> p.read(Arrays.copyOf(good, good.length - 3)))
        .isInstanceOf(SalAvro.SalDecodeException.class).hasMessageContaining("cannot decode lsst.sal.ATDome.logevent_heartbeat");
    byte[] trailing = Arrays.copyOf(good, good.length + 2);
    assertThatThrownBy(() -> p.read(trailing))
        .isInstanceOf(SalAvro.SalDecodeException.class).hasMessageContaining("trailing bytes");
    assertThat(p.read(good)).as("a failed read leaves the next one intact").isNotNull();
    assertThatThrownBy(() -> new SalAvro.Projection(Schema.create(Schema.Type.STRING), java.util.List.of("salIndex")))
        .isInstanceOf(SalAvro.SalDecodeException.class).hasMessageContaining("not a record");
  }
}
