package org.lsst.ts.upgrade.runbook.schema;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.springframework.stereotype.Component;

/** Puts the recorded compatibility back (normal end of a run); idempotent. */
@Component
public class RestoreCompatibility implements JavaDelegate {
  private final SchemaRegistry registry;

  public RestoreCompatibility(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    registry.setCompatibility(v.site(), v.string(RECORDED_COMPATIBILITY));
    v.set(COMPATIBILITY_RESTORED, true);
  }
}
