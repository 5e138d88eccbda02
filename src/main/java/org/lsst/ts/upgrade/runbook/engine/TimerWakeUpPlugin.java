package org.lsst.ts.upgrade.runbook.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.persistence.entity.JobManager;
import org.camunda.bpm.engine.impl.persistence.entity.TimerEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Wakes the job acquisition when a timer falls due. Camunda 7 finds due jobs by polling: a job
 * made due now is announced to the acquisition at its commit, but a timer's due date passing is
 * not, so it fired on the next idle poll (half of {@code max-wait} late on average). Every timer
 * scheduled (and every job {@link ConflictRetryPlugin} sets due shortly) now also schedules a
 * wake-up at its due date, after its transaction commits; a timer removed meanwhile only costs
 * one empty acquisition. Timers further away than {@link #HORIZON} are left to the polling.
 */
@Component
public class TimerWakeUpPlugin extends AbstractProcessEnginePlugin {
  static final Duration HORIZON = Duration.ofHours(2);
  private static final ScheduledExecutorService WAKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "job-acquisition-wake-up");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<SessionFactory> custom = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
        : new ArrayList<>(configuration.getCustomSessionFactories());
    // replaces the engine's own JobManager factory (same session type)
    custom.add(new SessionFactory() {
      @Override
      public Class<?> getSessionType() {
        return JobManager.class;
      }

      @Override
      public Session openSession() {
        return new WakingJobManager();
      }
    });
    configuration.setCustomSessionFactories(custom);
  }

  /**
   * In a command: once it commits, wakes the engine's job acquisition at {@code due} (not at all
   * if due already, which the engine announces itself, or beyond {@link #HORIZON}).
   */
  static void wakeAt(Date due) {
    JobExecutor executor = Context.getProcessEngineConfiguration().getJobExecutor();
    CommandContext command = Context.getCommandContext();
    if (executor == null || command == null || due == null) {
      return;
    }
    command.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, c -> {
      long delay = due.getTime() - ClockUtil.getCurrentTime().getTime();
      if (delay > 0 && delay <= HORIZON.toMillis()) {
        // +1 ms: the acquisition takes jobs due at or before its own "now"
        WAKER.schedule(() -> {
          if (executor.isActive()) {
            executor.jobWasAdded();
          }
        }, delay + 1, TimeUnit.MILLISECONDS);
      }
    });
  }

  /** The engine's JobManager, plus a wake-up at each timer's due date. */
  static final class WakingJobManager extends JobManager {
    @Override
    public void schedule(TimerEntity timer) {
      super.schedule(timer);
      wakeAt(timer.getDuedate());
    }
  }
}
