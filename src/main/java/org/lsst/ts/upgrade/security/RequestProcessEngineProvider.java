package org.lsst.ts.upgrade.security;

import java.util.LinkedHashSet;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.rest.spi.ProcessEngineProvider;

/**
 * The REST API's engine lookup (registered in {@code META-INF/services}): the engine of the
 * request's own application context first, Camunda's static registry otherwise.
 */
public class RequestProcessEngineProvider implements ProcessEngineProvider {

  @Override
  public ProcessEngine getDefaultProcessEngine() {
    ProcessEngine current = RequestProcessEngine.get();
    return current != null ? current : ProcessEngines.getDefaultProcessEngine(false);
  }

  @Override
  public ProcessEngine getProcessEngine(String name) {
    ProcessEngine current = RequestProcessEngine.get();
    if (current != null && (current.getName().equals(name) || ProcessEngines.NAME_DEFAULT.equals(name))) {
      return current;
    }
    return ProcessEngines.getProcessEngine(name, false);
  }

  @Override
  public Set<String> getProcessEngineNames() {
    Set<String> names = new LinkedHashSet<>();
    ProcessEngine current = RequestProcessEngine.get();
    if (current != null) {
      names.add(current.getName());
    }
    names.addAll(ProcessEngines.getProcessEngines().keySet());
    return names;
  }
}
