package org.lsst.ts.upgrade.runbook.engine;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.ThreadLocalRandom;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.JobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * A job that lost an optimistic-locking race (two called processes, say two parallel Argo CD
 * syncs, ending at once and both counting themselves done in their caller) did nothing wrong: the
 * transaction was rolled back and the step is simply to be run again. The engine already keeps its
 * retries for that case but would still wait the step's whole retry cycle (30 s for our remote
 * calls); this runs it again after {@link #DELAY} plus up to {@link #JITTER}. The winner has committed
 * when the loser fails (its flush found the winner's version), so the re-run reads the new state at
 * once; the jitter parts the losers when more than two raced. Every other failure keeps the
 * engine's retry cycle, and is due at once when its retries are spent ({@link RetryAtOnce}).
 */
@Component
public class ConflictRetryPlugin extends AbstractProcessEnginePlugin {
  static final Duration DELAY = Duration.ofMillis(20);
  static final Duration JITTER = Duration.ofMillis(80);

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setFailedJobCommandFactory(new Factory());
  }

  static final class Factory implements FailedJobCommandFactory {
    @Override
    public Command<Object> getCommand(String jobId, Throwable exception) {
      return isConflict(exception) ? new RetrySoon(jobId, exception) : new RetryAtOnce(jobId, exception);
    }
  }

  static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OptimisticLockingException) {
        return true;
      }
    }
    return false;
  }

  /** Unlocks the job, due shortly, retries untouched. */
  static final class RetrySoon extends JobRetryCmd {
    RetrySoon(String jobId, Throwable exception) {
      super(jobId, exception);
    }

    @Override
    public Object execute(CommandContext commandContext) {
      JobEntity job = getJob();
      if (job == null) {
        return null; // deleted meanwhile: the other transaction finished the step
      }
      job.unlock();
      long jitter = ThreadLocalRandom.current().nextLong(JITTER.toMillis() + 1);
      job.setDuedate(new Date(ClockUtil.getCurrentTime().getTime() + DELAY.toMillis() + jitter));
      notifyAcquisition(commandContext);
      // and again when it is due: the notice above finds it not due yet
      TimerWakeUpPlugin.wakeAt(job.getDuedate());
      return null;
    }
  }
}
