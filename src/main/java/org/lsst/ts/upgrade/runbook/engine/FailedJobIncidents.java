package org.lsst.ts.upgrade.runbook.engine;

import java.util.ArrayList;
import java.util.function.BiConsumer;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.runtime.Incident;

/**
 * Work beside the incidents of failed jobs, never instead of them: a handler next to the engine's
 * own failed-job handler (composite incident handlers), which still creates each incident first,
 * in the same command.
 */
public final class FailedJobIncidents {
  private FailedJobIncidents() {}

  /** Calls {@code created} with each new failed-job incident's context and message. */
  public static void onCreated(ProcessEngineConfigurationImpl configuration, BiConsumer<IncidentContext, String> created) {
    configuration.setCompositeIncidentHandlersEnabled(true);
    if (configuration.getCustomIncidentHandlers() == null) {
      configuration.setCustomIncidentHandlers(new ArrayList<>());
    }
    configuration.getCustomIncidentHandlers().add(new IncidentHandler() {
      @Override
      public String getIncidentHandlerType() {
        return Incident.FAILED_JOB_HANDLER_TYPE;
      }

      @Override
      public Incident handleIncident(IncidentContext context, String message) {
        created.accept(context, message);
        return null;
      }

      @Override
      public void resolveIncident(IncidentContext context) {}

      @Override
      public void deleteIncident(IncidentContext context) {}
    });
  }
}
