package org.lsst.ts.upgrade.site;

import java.util.List;

/** A site file that cannot be used: names the file, the path inside it and each problem. */
public class SiteConfigurationException extends RuntimeException {
  private final List<String> problems;

  public SiteConfigurationException(String file, List<String> problems) {
    super("invalid site file " + file + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
