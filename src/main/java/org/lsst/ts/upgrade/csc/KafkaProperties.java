package org.lsst.ts.upgrade.csc;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.kafka.*}: how the monitor connects to the sites' brokers (Sasquatch). The SASL
 * user name and password come from the environment variables the site file names
 * ({@code credentials.kafka-username-env}, {@code kafka-password-env}); the truststore password
 * from the variable named here. Nothing secret is written in configuration.
 *
 * @param securityProtocol PLAINTEXT (rehearsal), SASL_SSL (sites), SASL_PLAINTEXT or SSL
 * @param saslMechanism SCRAM-SHA-512 at the sites
 * @param sslTruststoreLocation a truststore file, when the broker's CA is not in the JVM's
 * @param sslTruststorePasswordEnv the environment variable holding the truststore password
 * @param properties any further kafka-clients consumer properties (they win)
 */
@ConfigurationProperties("upgrade.kafka")
public record KafkaProperties(
    @DefaultValue("PLAINTEXT") String securityProtocol,
    @DefaultValue("SCRAM-SHA-512") String saslMechanism,
    String sslTruststoreLocation,
    @DefaultValue("PKCS12") String sslTruststoreType,
    String sslTruststorePasswordEnv,
    Map<String, String> properties) {

  public KafkaProperties {
    securityProtocol = securityProtocol == null ? "PLAINTEXT" : securityProtocol;
    saslMechanism = saslMechanism == null ? "SCRAM-SHA-512" : saslMechanism;
    sslTruststoreType = sslTruststoreType == null ? "PKCS12" : sslTruststoreType;
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    if (!java.util.Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(securityProtocol)) {
      throw new IllegalArgumentException("upgrade.kafka.security-protocol '" + securityProtocol
          + "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    }
  }

  public static KafkaProperties plaintext() {
    return new KafkaProperties(null, null, null, null, null, null);
  }

  boolean sasl() {
    return securityProtocol.startsWith("SASL");
  }

  boolean ssl() {
    return securityProtocol.endsWith("SSL");
  }
}
