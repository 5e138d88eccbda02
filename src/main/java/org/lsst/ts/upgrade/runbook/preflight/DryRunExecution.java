package org.lsst.ts.upgrade.runbook.preflight;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.RunVariables;

/**
 * An execution made of variables only, to run the processes' own plan steps (local steps that read
 * the site file and write variables) outside the engine: the plan shows what those steps will
 * decide, from the same code. Anything but variables is refused, so a step that would reach out
 * cannot be dry-run by mistake.
 */
final class DryRunExecution {
  private DryRunExecution() {}

  /** Runs the steps in order on a copy of the variables; returns every variable after them. */
  static Map<String, Object> run(Map<String, Object> variables, JavaDelegate... steps) {
    Map<String, Object> vars = new LinkedHashMap<>(variables);
    DelegateExecution e = of(vars);
    for (JavaDelegate step : steps) {
      try {
        step.execute(e);
      } catch (RuntimeException ex) {
        throw ex;
      } catch (Exception ex) {
        throw new IllegalStateException("dry run of " + step.getClass().getSimpleName() + ": " + ex.getMessage(), ex);
      }
    }
    return vars;
  }

  static DelegateExecution of(Map<String, Object> vars) {
    return (DelegateExecution) Proxy.newProxyInstance(DryRunExecution.class.getClassLoader(),
        new Class<?>[] {DelegateExecution.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getVariable", "getVariableLocal" -> vars.get((String) args[0]);
          case "setVariable", "setVariableLocal" -> {
            vars.put((String) args[0], args[1]);
            yield null;
          }
          case "hasVariable", "hasVariableLocal" -> vars.containsKey((String) args[0]);
          case "getVariables", "getVariablesLocal" -> new LinkedHashMap<>(vars);
          case "getVariableNames", "getVariableNamesLocal" -> vars.keySet();
          case "removeVariable", "removeVariableLocal" -> {
            vars.remove((String) args[0]);
            yield null;
          }
          case "getBusinessKey", "getProcessBusinessKey" -> vars.get(RunVariables.RUN_ID);
          case "toString" -> "dry run " + vars.get(RunVariables.RUN_ID);
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException("a dry run has variables only, not " + method.getName());
        });
  }
}
