package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import java.time.Instant;
import java.util.Map;

/**
 * One decoded SAL event read from Kafka.
 *
 * @param id the instance: component from the topic, index from {@code salIndex}
 * @param event the event name without {@code logevent_} (e.g. {@code script})
 * @param fields the record's fields as written (integers may be Integer or Long: use {@link #intField})
 * @param time the Kafka record timestamp
 * @param offset the record's offset in its topic
 */
public record SalEvent(String site, CscId id, String event, Map<String, Object> fields, Instant time, long offset) {

  /** An integer field, whether written as int or long; null if absent. */
  public Integer intField(String name) {
    Object v = fields.get(name);
    return v instanceof Number n ? n.intValue() : null;
  }

  /** An array of integers (SAL's fixed-size index arrays), empty if absent. */
  public java.util.List<Integer> intListField(String name) {
    Object v = fields.get(name);
    if (!(v instanceof java.util.Collection<?> c)) {
      return java.util.List.of();
    }
    return c.stream().filter(Number.class::isInstance).map(n -> ((Number) n).intValue()).toList();
  }

  /** Whether the record has this field at all (an older writer schema may not). */
  public boolean hasField(String name) {
    return fields.containsKey(name);
  }

  public String stringField(String name) {
    Object v = fields.get(name);
    return v == null ? null : v.toString();
  }

  public Boolean booleanField(String name) {
    Object v = fields.get(name);
    return v instanceof Boolean b ? b : null;
  }

  public Double doubleField(String name) {
    Object v = fields.get(name);
    return v instanceof Number n ? n.doubleValue() : null;
  }
}
