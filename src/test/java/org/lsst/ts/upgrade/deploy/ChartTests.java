package org.lsst.ts.upgrade.deploy;

class ChartTests {
  static final String LIVENESS_PATH = "/actuator/health/liveness";
  static final String READINESS_PATH = "/actuator/health/readiness";
}
