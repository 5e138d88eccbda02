package org.lsst.ts.upgrade.runbook.engine;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * A step whose retries are spent (an incident) is due at once. The engine leaves on it the due
 * date its last retry interval gave it, and setting retries again (Cockpit's "Retry", {@code PUT
 * /job/{id}/retries}) does not move it: an operator who retried a step once the cause was fixed
 * waited up to that interval (30 s) before anything happened. A job without retries is not
 * acquired, whatever its due date; the retries set again make it run now.
 */
@Component
public class RetryAtOnce extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    FailedJobIncidents.onCreated(configuration, (context, message) -> dueNow(context));
  }

  private static void dueNow(IncidentContext context) {
    if (Context.getCommandContext() == null || context.getConfiguration() == null) {
      return;
    }
    // the failed job is in this command's cache: the engine has just given it its last due date
    JobEntity job = Context.getCommandContext().getDbEntityManager()
        .getCachedEntity(JobEntity.class, context.getConfiguration());
    if (job != null) {
      job.setDuedate(ClockUtil.getCurrentTime());
    }
  }
}
