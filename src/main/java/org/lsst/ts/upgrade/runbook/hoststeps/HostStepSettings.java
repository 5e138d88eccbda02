package org.lsst.ts.upgrade.runbook.hoststeps;

import org.springframework.stereotype.Component;

/** {@link HostStepProperties} for BPMN expressions: {@code ${hostStepSettings.expectedFor(hostStep)}}. */
@Component
public class HostStepSettings {
  private final HostStepProperties properties;

  public HostStepSettings(HostStepProperties properties) {
    this.properties = properties;
  }

  /** The soft deadline of the host step, ISO-8601 (the timer of run-host-commands' "host step overdue" sub-process). */
  public String expectedFor(String hostStep) {
    return properties.expectedFor(hostStep).toString();
  }

  HostStepProperties properties() {
    return properties;
  }
}
