package org.lsst.ts.upgrade.runbook.engine;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.stereotype.Component;

/**
 * Installs {@link PeoplePolicy} on every command the engine runs (the application's engine only:
 * the engine-level test harness builds its own, without people).
 */
@Component
public class PeoplePolicyPlugin extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    // one instance per chain: an interceptor holds its chain's next element
    configuration.setCustomPostCommandInterceptorsTxRequired(
        with(configuration.getCustomPostCommandInterceptorsTxRequired(), new PeoplePolicy(configuration)));
    configuration.setCustomPostCommandInterceptorsTxRequiresNew(
        with(configuration.getCustomPostCommandInterceptorsTxRequiresNew(), new PeoplePolicy(configuration)));
  }

  private static List<CommandInterceptor> with(List<CommandInterceptor> existing, CommandInterceptor added) {
    List<CommandInterceptor> all = new ArrayList<>(existing == null ? List.of() : existing);
    all.add(added);
    return all;
  }
}
