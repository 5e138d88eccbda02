package org.lsst.ts.upgrade.runbook;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * The poll timers that remain (Argo CD syncs, host jobs, cRIO rebuilds, the clean-up's check):
 * short first, backing off (a rebooting host and the held CSCs' states keep the plain interval). {@code ${polls.after(execution, 'syncStartedAt')}} is
 * half the time since the watched thing started, at least {@code upgrade.runbook.first-poll} and
 * at most the run's poll interval: a sync that takes 3 s is seen done within 1.5 s of its end, not
 * up to a whole interval later, and a long one costs a few more looks only in its first seconds.
 * Without the start variable (an older run) it is the poll interval, as before.
 */
@Component("polls")
public class Polls {
  /** The share of the time since the start waited before the next look: at most that late. */
  static final double BACKOFF = 0.5;

  private final RunbookProperties properties;

  public Polls(RunbookProperties properties) {
    this.properties = properties;
  }

  /** The next poll's wait, an ISO-8601 duration for a timer's {@code timeDuration}. */
  public String after(VariableScope execution, String startedVariable) {
    return next(execution, startedVariable).toString();
  }

  Duration next(VariableScope execution, String startedVariable) {
    Duration interval = interval(execution);
    Object started = execution.getVariable(startedVariable);
    if (!(started instanceof Date d)) {
      return interval;
    }
    Duration since = Duration.ofMillis(Math.max(0, ClockUtil.getCurrentTime().getTime() - d.getTime()));
    return backoff(since, properties.firstPoll(), interval);
  }

  static Duration backoff(Duration since, Duration first, Duration interval) {
    Duration wait = Duration.ofMillis((long) (since.toMillis() * BACKOFF));
    if (wait.compareTo(interval) > 0) {
      wait = interval;
    }
    return wait.compareTo(first) < 0 ? (first.compareTo(interval) < 0 ? first : interval) : wait;
  }

  private Duration interval(VariableScope execution) {
    Object v = execution.getVariable(RunVariables.POLL_INTERVAL);
    if (v != null) {
      try {
        return Duration.parse(v.toString());
      } catch (DateTimeParseException e) {
        // the run's own setting is unreadable: the configured one
      }
    }
    return properties.pollInterval();
  }
}
