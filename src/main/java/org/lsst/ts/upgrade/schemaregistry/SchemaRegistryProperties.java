package org.lsst.ts.upgrade.schemaregistry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.schema-registry.*}.
 *
 * @param connectTimeout to open the connection
 * @param requestTimeout for the whole answer
 */
@ConfigurationProperties("upgrade.schema-registry")
public record SchemaRegistryProperties(
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("10s") Duration requestTimeout) {}
