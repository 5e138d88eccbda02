package org.lsst.ts.upgrade.runbook.schema;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.springframework.stereotype.Component;

/** Sets the registry's compatibility to NONE (a breaking schema change is being deployed). */
@Component
public class RelaxCompatibility implements JavaDelegate {
  private final SchemaRegistry registry;

  public RelaxCompatibility(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String now = registry.setCompatibility(v.site(), SchemaCompatibilityRelaxIds.NONE);
    if (now != null && !SchemaCompatibilityRelaxIds.NONE.equalsIgnoreCase(now)) {
      throw new IllegalStateException("schema registry answered compatibility " + now + " after NONE was set");
    }
    v.set(COMPATIBILITY_RELAXED, true).set(COMPATIBILITY_RESTORED, false);
  }
}
