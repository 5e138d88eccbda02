package org.lsst.ts.upgrade.runbook.schema;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.notices.PostNotice;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.springframework.stereotype.Component;

/**
 * Reads and records the registry's compatibility before it is relaxed; warns in the site channel
 * when it was not FORWARD (the procedure expects FORWARD; the live value has been seen as NONE). A
 * retry keeps the first recorded value: after NONE was set, reading again would record NONE.
 */
@Component
public class RecordCompatibility implements JavaDelegate {
  private final SchemaRegistry registry;
  private final java.util.function.Supplier<Notifier> notifier;

  RecordCompatibility(SchemaRegistry registry, org.springframework.beans.factory.ObjectProvider<Notifier> notifier) {
    this.registry = registry;
    this.notifier = notifier::getIfAvailable;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    if (v.has(RECORDED_COMPATIBILITY)) {
      return;
    }
    String level = registry.compatibility(v.site());
    v.set(RECORDED_COMPATIBILITY, level);
    if (!SchemaCompatibilityRelaxIds.EXPECTED.equalsIgnoreCase(level)) {
      var d = PostNotice.post(notifier, v.site(), null, ":warning: Run " + v.runId() + ": the schema registry's compatibility was "
          + level + ", not " + SchemaCompatibilityRelaxIds.EXPECTED + ". It is set to NONE for the deployment and "
          + level + " will be put back at the end.", v.runId(), "COMPATIBILITY_WARNING", false);
      if (d == null || !d.delivered()) {
        PostNotice.listUndelivered(v, "COMPATIBILITY_WARNING", d);
      }
    }
  }
}
