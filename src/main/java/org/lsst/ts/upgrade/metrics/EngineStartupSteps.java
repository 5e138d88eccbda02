package org.lsst.ts.upgrade.metrics;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;
import org.springframework.stereotype.Component;

/**
 * Splits the Camunda engine's start into startup steps for the {@link StartupReport}: the
 * configuration ({@code upgrade.engine.configuration}: MyBatis, the parsers, the first database
 * connection), the engine's build ({@code upgrade.engine.build}: the schema created or checked) and
 * the deployment of the processes, DMN and forms ({@code upgrade.engine.deployment}). The Spring engine configuration
 * deploys after the plugins' last call, just before Spring post-processes the engine it made: that
 * post-processing ends the deployment's step. Only with {@code upgrade.startup.report=true}.
 */
@Component
@ConditionalOnProperty(name = "upgrade.startup.report", havingValue = "true")
@Order(Ordered.HIGHEST_PRECEDENCE)
class EngineStartupSteps implements ProcessEnginePlugin, BeanPostProcessor {
  private final ApplicationStartup startup;
  private StartupStep current;

  EngineStartupSteps(ApplicationStartup startup) {
    this.startup = startup;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    next("upgrade.engine.configuration");
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    next("upgrade.engine.build");
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    next("upgrade.engine.deployment");
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof ProcessEngine) {
      next(null);
    }
    return bean;
  }

  /** Ends the running step (if any) and starts the named one (if any); the engine starts on one thread. */
  private synchronized void next(String name) {
    if (current != null) {
      current.end();
    }
    current = name == null ? null : startup.start(name);
  }
}
