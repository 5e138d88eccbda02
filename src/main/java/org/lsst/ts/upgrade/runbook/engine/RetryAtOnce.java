package org.lsst.ts.upgrade.runbook.engine;

import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The engine's handling of a failed job (retries down, the retry cycle's due date, an incident at
 * 0), and then a job whose retries its failures have spent is due at once. The engine leaves on it
 * the due date of its last retry interval, and setting retries again (Cockpit's "Retry", {@code PUT
 * /job/{id}/retries}) does not move it: an operator who retried a step once the cause was fixed
 * waited up to that interval (30 s) before anything happened. A job without retries is not
 * acquired, whatever its due date; the retries set again make it run now. Only failures come here
 * ({@link ConflictRetryPlugin}'s factory): a timer whose retries someone set to 0 keeps its due date.
 */
final class RetryAtOnce extends DefaultJobRetryCmd {
  RetryAtOnce(String jobId, Throwable exception) {
    super(jobId, exception);
  }

  @Override
  public Object execute(CommandContext commandContext) {
    super.execute(commandContext);
    JobEntity job = getJob();
    if (job != null && job.getRetries() == 0) {
      job.setDuedate(ClockUtil.getCurrentTime());
    }
    return null;
  }
}
