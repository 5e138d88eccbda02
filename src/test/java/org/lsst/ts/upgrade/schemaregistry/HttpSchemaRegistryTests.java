package org.lsst.ts.upgrade.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.csc.SalAvro;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinKafka;
import org.springframework.beans.factory.annotation.Autowired;

/** The client against the twin's registry over HTTP. */
@RehearsalTest
class HttpSchemaRegistryTests {
  @Autowired SchemaRegistry registry;
  @Autowired TwinKafka kafka;
  @Autowired ActionLog actions;
  @Autowired FaultRegistry faults;
  @Autowired org.lsst.ts.upgrade.rehearsal.LatencyModel latency;

  @Test
  void readsSetsAndRestoresTheCompatibilityOfOneSite() {
    String before = registry.compatibility("bts");
    assertThat(before).isEqualTo(kafka.registry().compatibility("bts"));
    try {
      assertThat(registry.setCompatibility("bts", "none")).isEqualTo("NONE");
      assertThat(registry.compatibility("bts")).isEqualTo("NONE");
      assertThat(registry.compatibility("summit")).isEqualTo(kafka.registry().compatibility("summit"));
      assertThat(actions.actions("bts")).anyMatch(a -> a.system().equals("schema-registry")
          && a.action().equals("PUT") && "NONE".equals(a.params().get("compatibility"))
          // the request lasts from its arrival: the registry's latency is the site's time
          && !java.time.Duration.between(a.start(), a.end()).minus(latency.of("schema-registry.request")).isNegative());
    } finally {
      registry.setCompatibility("bts", before);
    }
    assertThat(registry.compatibility("bts")).isEqualTo(before);
  }

  @Test
  void rejectsAnUnknownLevelBeforeCallingTheRegistry() {
    assertThatThrownBy(() -> registry.setCompatibility("bts", "SOMETIMES"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SOMETIMES").hasMessageContaining("FORWARD");
  }

  @Test
  void fetchesSchemasByIdOnceAndReportsUnknownIds() {
    int id = kafka.register("tts", "ATDome", "summaryState", SalAvro.eventSchema("ATDome", false, "summaryState"));
    String schema = registry.schemaById("tts", id);
    assertThat(schema).contains("logevent_summaryState").contains("lsst.sal.ATDome");
    long fetches = countFetches(id);
    assertThat(registry.schemaById("tts", id)).isEqualTo(schema);
    assertThat(countFetches(id)).isEqualTo(fetches);
    assertThatThrownBy(() -> registry.schemaById("tts", 424242))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.notFound()).isTrue())
        .hasMessageContaining("404").hasMessageContaining("/schemas/ids/424242");
  }

  @Test
  void serverErrorsAreClearErrors() {
    var f = faults.inject("tts", "schema-registry", "*", "http-503", null, 1);
    try {
      assertThatThrownBy(() -> registry.compatibility("tts"))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(503))
          .hasMessageContaining("tts").hasMessageContaining("/config");
    } finally {
      faults.remove(f.id());
    }
  }

  private long countFetches(int id) {
    return actions.actions("tts").stream().filter(a -> a.system().equals("schema-registry")
        && a.target().endsWith("/schemas/ids/" + id)).count();
  }

}
