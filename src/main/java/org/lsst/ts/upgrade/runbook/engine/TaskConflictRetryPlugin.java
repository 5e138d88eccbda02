package org.lsst.ts.upgrade.runbook.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A person's answer to a task (Tasklist's form submission, the task API, a Slack button) that lost
 * an optimistic-locking race with one of the run's jobs (a poll timer updating the same execution
 * at that moment) is run again, up to {@link #ATTEMPTS} times: the whole command had been rolled
 * back, so nothing happened twice, and the person is not shown ENGINE-03005 for doing nothing
 * wrong. Outside the transaction (a pre-command interceptor), outermost commands only.
 */
@Component
public class TaskConflictRetryPlugin extends AbstractProcessEnginePlugin {
  private static final Logger log = LoggerFactory.getLogger(TaskConflictRetryPlugin.class);
  static final int ATTEMPTS = 4;

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<CommandInterceptor> pre = new ArrayList<>();
    if (configuration.getCustomPreCommandInterceptorsTxRequired() != null) {
      pre.addAll(configuration.getCustomPreCommandInterceptorsTxRequired());
    }
    pre.add(new RetryAnswers());
    configuration.setCustomPreCommandInterceptorsTxRequired(pre);
  }

  static final class RetryAnswers extends CommandInterceptor {
    @Override
    public <T> T execute(Command<T> command) {
      boolean answer = command instanceof CompleteTaskCmd || command instanceof SubmitTaskFormCmd;
      if (!answer || Context.getCommandContext() != null) {
        return next.execute(command);
      }
      for (int attempt = 1; ; attempt++) {
        try {
          return next.execute(command);
        } catch (RuntimeException e) {
          if (attempt >= ATTEMPTS || !ConflictRetryPlugin.isConflict(e)) {
            throw e;
          }
          log.info("A task's completion met a concurrent change of its run (attempt {} of {}): completing it again",
              attempt, ATTEMPTS);
          pause(attempt);
        }
      }
    }

    private static void pause(int attempt) {
      try {
        // the racing job's transaction is short: a brief, growing, jittered pause parts the two
        Thread.sleep(50L * attempt + ThreadLocalRandom.current().nextLong(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while completing a task again", e);
      }
    }
  }
}
