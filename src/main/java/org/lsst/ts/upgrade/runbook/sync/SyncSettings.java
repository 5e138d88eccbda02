package org.lsst.ts.upgrade.runbook.sync;

import org.springframework.stereotype.Component;

/** {@link SyncStepProperties} for BPMN expressions: {@code ${syncSettings.expectedFor(app)}}. */
@Component
public class SyncSettings {
  private final SyncStepProperties properties;

  public SyncSettings(SyncStepProperties properties) {
    this.properties = properties;
  }

  /** The soft deadline of the app's sync, ISO-8601 (the timer of sync-app's "sync overdue" sub-process). */
  public String expectedFor(String app) {
    return properties.expectedFor(app).toString();
  }

  SyncStepProperties properties() {
    return properties;
  }
}
