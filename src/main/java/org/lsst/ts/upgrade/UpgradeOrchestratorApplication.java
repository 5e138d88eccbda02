package org.lsst.ts.upgrade;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The upgrade orchestrator: the control-system upgrade runbook as BPMN processes on Camunda 7.
 * With no profile chosen, {@code spring.profiles.default: rehearsal} applies, so nothing real is
 * touched by accident.
 *
 * <p>Spring records its startup steps (bean instantiations, the context refresh) in a buffer, for
 * the startup report ({@code upgrade.startup.report=true}, docs/benchmarks.md): a few hundred small
 * records, kept at most {@value #STARTUP_STEPS}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class UpgradeOrchestratorApplication {

  static final int STARTUP_STEPS = 10_000;

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(UpgradeOrchestratorApplication.class);
    app.setApplicationStartup(new BufferingApplicationStartup(STARTUP_STEPS));
    app.run(args);
  }
}
