package org.lsst.ts.upgrade.runbook.engine;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.entitymanager.DbEntityManager;
import org.camunda.bpm.engine.impl.history.event.HistoricIncidentEventEntity;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.IncidentEntity;
import org.springframework.stereotype.Component;

/**
 * Gives the incidents the engine raises on the call activities above a failed step a message. The
 * engine creates one on every caller up to the run (what Cockpit shows on the run's own diagram)
 * but leaves their message empty, so an operator looking at the run saw a red call activity with
 * nothing said. Each now says which called step failed, with the step's own message. A second
 * handler next to the engine's failed-job handler, which has just created them in this command
 * (not yet written): they are still in the command's entity cache, and so is their history.
 */
@Component
public class CalledStepIncidents extends AbstractProcessEnginePlugin {
  /** The incident message column holds 4000 characters. */
  static final int MAX_MESSAGE = 3900;

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    FailedJobIncidents.onCreated(configuration, CalledStepIncidents::describeCallers);
  }

  private static void describeCallers(IncidentContext context, String message) {
    if (Context.getCommandContext() == null || context.getExecutionId() == null) {
      return;
    }
    DbEntityManager db = Context.getCommandContext().getDbEntityManager();
    List<IncidentEntity> cached = db.getCachedEntitiesByType(IncidentEntity.class);
    IncidentEntity root = cached.stream()
        .filter(i -> i.getId().equals(i.getRootCauseIncidentId()) && context.getExecutionId().equals(i.getExecutionId())
            && (context.getConfiguration() == null || context.getConfiguration().equals(i.getConfiguration())))
        .findFirst().orElse(null);
    if (root == null) {
      return;
    }
    String text = callerMessage(stepName(context), root.getProcessDefinitionId(), message);
    List<String> described = new ArrayList<>();
    for (IncidentEntity i : cached) {
      if (root.getId().equals(i.getRootCauseIncidentId()) && !root.getId().equals(i.getId()) && i.getIncidentMessage() == null) {
        i.setIncidentMessage(text);
        described.add(i.getId());
      }
    }
    // their history was created with them, message-less: the same text there
    for (HistoricIncidentEventEntity h : db.getCachedEntitiesByType(HistoricIncidentEventEntity.class)) {
      if (described.contains(h.getId()) && h.getIncidentMessage() == null) {
        h.setIncidentMessage(text);
      }
    }
  }

  private static String stepName(IncidentContext context) {
    ExecutionEntity execution = Context.getCommandContext().getExecutionManager().findExecutionById(context.getExecutionId());
    if (execution != null && execution.getActivity() != null && execution.getActivity().getName() != null) {
      return execution.getActivity().getName();
    }
    return context.getActivityId() == null ? "?" : context.getActivityId();
  }

  /** "Step "Add the script to the queue" of run-script failed after its retries: …; retry it there". */
  static String callerMessage(String step, String processDefinitionId, String message) {
    String process = processDefinitionId == null ? "?" : processDefinitionId.substring(0, Math.max(0, processDefinitionId.indexOf(':')));
    String head = "Step \"" + step + "\" of " + (process.isEmpty() ? processDefinitionId : process)
        + " failed after its retries: ";
    String tail = " (Retry it on that step's incident, the cause of this one.)";
    String body = message == null || message.isBlank() ? "(no message)" : message;
    if (head.length() + body.length() + tail.length() > MAX_MESSAGE) {
      body = body.substring(0, Math.max(0, MAX_MESSAGE - head.length() - tail.length() - 1)) + "…";
    }
    return head + body + tail;
  }
}
