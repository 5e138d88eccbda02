package org.lsst.ts.upgrade.runbook.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.beans.factory.annotation.Autowired;

/** The warm-up after the start leaves every deployed process model parsed in the engine's cache. */
@RehearsalTest
class WarmUpAfterStartTests {
  @Autowired ProcessEngine engine;
  @Autowired WarmUpAfterStart warmUp;

  @Test
  void everyLatestProcessModelIsParsedForTheFirstPlan() {
    var cache = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDeploymentCache()
        .getBpmnModelInstanceCache();
    var latest = engine.getRepositoryService().createProcessDefinitionQuery().latestVersion().list();
    assertThat(latest).hasSizeGreaterThan(10);
    cache.clear(); // as in a fresh JVM (the shared test context's runs parsed some already)

    warmUp.warmUp();

    for (ProcessDefinition d : latest) {
      assertThat(cache.get(d.getId())).as(d.getKey() + " parsed").isNotNull();
    }
  }
}
