package org.lsst.ts.upgrade.site;

import java.util.Arrays;
import java.util.Optional;

/** SAL summary states with their numeric codes (ts_xml), plus UNKNOWN for "never heard". */
public enum SummaryState {
  DISABLED(1),
  ENABLED(2),
  FAULT(3),
  OFFLINE(4),
  STANDBY(5),
  /** Not a SAL state: nothing has been heard yet for this instance. */
  UNKNOWN(0);

  private final int code;

  SummaryState(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<SummaryState> fromCode(long code) {
    return Arrays.stream(values()).filter(s -> s.code == code && s != UNKNOWN).findFirst();
  }

  /** Parses a state name case-insensitively; an IllegalArgumentException lists the valid names. */
  public static SummaryState parse(String name) {
    for (SummaryState s : values()) {
      if (s != UNKNOWN && s.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "'" + name + "' is not a summary state: expected one of DISABLED, ENABLED, FAULT, OFFLINE, STANDBY");
  }
}
