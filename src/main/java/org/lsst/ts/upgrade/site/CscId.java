package org.lsst.ts.upgrade.site;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A CSC instance: {@code Name} or {@code Name:index} (e.g. {@code ATDome}, {@code ScriptQueue:1}).
 * The component name doubles as part of a Kafka topic name, so it is restricted to letters and
 * digits; this also makes it safe inside a shell command.
 */
public record CscId(String component, Integer index) implements Comparable<CscId> {

  private static final Pattern FORM = Pattern.compile("([A-Z][A-Za-z0-9]{0,63})(?::([0-9]{1,9}))?");

  public CscId {
    if (component == null || !FORM.matcher(component).matches() || component.contains(":")) {
      throw new IllegalArgumentException("invalid CSC component name '" + component + "'");
    }
    if (index != null && index < 0) {
      throw new IllegalArgumentException("invalid CSC index " + index + " for " + component);
    }
  }

  /** Parses {@code Name} or {@code Name:index}; anything else is an IllegalArgumentException naming the text. */
  @JsonCreator
  public static CscId parse(String text) {
    var m = text == null ? null : FORM.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a CSC id: expected Name or Name:index, e.g. ATDome or ESS:104");
    }
    return new CscId(m.group(1), m.group(2) == null ? null : Integer.valueOf(m.group(2)));
  }

  public static CscId of(String component) {
    return new CscId(component, null);
  }

  public static CscId of(String component, int index) {
    return new CscId(component, index);
  }

  public boolean indexed() {
    return index != null;
  }

  /** The SAL index as salobj uses it: 0 for a non-indexed component. */
  public int salIndex() {
    return index == null ? 0 : index;
  }

  @JsonValue
  @Override
  public String toString() {
    return index == null ? component : component + ":" + index;
  }

  @Override
  public int compareTo(CscId o) {
    int c = component.compareTo(o.component);
    return c != 0 ? c : Integer.compare(salIndex(), o.salIndex());
  }
}
