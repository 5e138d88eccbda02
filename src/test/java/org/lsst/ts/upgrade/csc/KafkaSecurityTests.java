package org.lsst.ts.upgrade.csc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/** SASL/SCRAM and TLS settings of the monitor's consumer, with credentials only from the environment. */
class KafkaSecurityTests {
  final Site summit = new Sites(new SiteProperties(null)).require("summit");

  @Test
  void plaintextByDefault() {
    assertThat(KafkaCscMonitor.security(KafkaProperties.plaintext(), summit, k -> null))
        .containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
  }

  @Test
  void scramOverTlsWithCredentialsFromTheVariablesTheSiteFileNames() {
    var props = new KafkaProperties("SASL_SSL", null, "/etc/kafka/ca.p12", null, "KAFKA_TRUSTSTORE_PASSWORD", null);
    Map<String, String> env = Map.of("KAFKA_SUMMIT_USERNAME", "ts-salkafka", "KAFKA_SUMMIT_PASSWORD", "p\"w\\d",
        "KAFKA_TRUSTSTORE_PASSWORD", "changeit");
    Map<String, Object> p = KafkaCscMonitor.security(props, summit, env::get);
    assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12").containsEntry("ssl.truststore.type", "PKCS12")
        .containsEntry("ssl.truststore.password", "changeit");
    assertThat(p.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required"
        + " username=\"ts-salkafka\" password=\"p\\\"w\\\\d\";");
  }

  @Test
  void missingCredentialsNameTheVariablesNotTheValues() {
    var props = new KafkaProperties("SASL_SSL", null, null, null, null, null);
    assertThatThrownBy(() -> KafkaCscMonitor.security(props, summit, Map.of("KAFKA_SUMMIT_USERNAME", "ts-salkafka")::get))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KAFKA_SUMMIT_USERNAME").hasMessageContaining("KAFKA_SUMMIT_PASSWORD")
        .hasMessageNotContaining("ts-salkafka");
  }

  @Test
  void unknownProtocolIsRejected() {
    assertThatThrownBy(() -> new KafkaProperties("SASL_TLS", null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SASL_SSL");
  }
}
