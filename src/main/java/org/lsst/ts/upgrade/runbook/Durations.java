package org.lsst.ts.upgrade.runbook;

import java.time.Duration;

/** Durations as the people's tasks say them: seconds up to two minutes, then whole minutes. */
public final class Durations {
  private Durations() {}

  public static String human(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : (s / 60) + " min";
  }
}
