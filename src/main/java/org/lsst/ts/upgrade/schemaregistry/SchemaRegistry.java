package org.lsst.ts.upgrade.schemaregistry;

/** The site's Confluent-compatible schema registry. */
public interface SchemaRegistry {

  /** {@code GET /config}: the global compatibility level, e.g. FORWARD. */
  String compatibility(String site);

  /** {@code PUT /config}: sets the global compatibility level; returns the level now in force. */
  String setCompatibility(String site, String level);

  /** {@code GET /schemas/ids/{id}}: the writer schema's JSON text (cached: ids never change). */
  String schemaById(String site, int id);
}
