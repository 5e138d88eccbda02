package org.lsst.ts.upgrade;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The upgrade orchestrator: the control-system upgrade runbook as BPMN processes on Camunda 7.
 * With no profile chosen, {@code spring.profiles.default: rehearsal} applies, so nothing real is
 * touched by accident.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class UpgradeOrchestratorApplication {

  public static void main(String[] args) {
    SpringApplication.run(UpgradeOrchestratorApplication.class, args);
  }
}
