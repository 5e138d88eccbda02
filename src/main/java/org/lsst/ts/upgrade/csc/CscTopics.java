package org.lsst.ts.upgrade.csc;

import java.util.Set;

/** The SAL topics the site's Kafka broker holds for a component (read from the broker's metadata). */
public interface CscTopics {

  /** Every topic {@code lsst.<subname>.<component>.*} on the site's broker (empty when none). */
  Set<String> topicsOf(String site, String component);
}
