package org.lsst.ts.upgrade.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Date;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PollsTests {
  final Polls polls = new Polls(RunbookProperties.defaults()); // poll interval 5 s, first poll 250 ms
  final VariableScope execution = mock(VariableScope.class);

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  @Test
  void looksSoonAfterTheStartThenBacksOffToThePollInterval() {
    Date started = new Date(1_000_000);
    when(execution.getVariable("syncAskedAt")).thenReturn(started);
    when(execution.getVariable(RunVariables.POLL_INTERVAL)).thenReturn("PT5S");

    assertThat(waitAt(started, 0)).isEqualTo("PT0.25S");
    assertThat(waitAt(started, 300)).isEqualTo("PT0.25S");
    assertThat(waitAt(started, 1_000)).isEqualTo("PT0.5S");
    assertThat(waitAt(started, 4_000)).isEqualTo("PT2S");
    assertThat(waitAt(started, 60_000)).isEqualTo("PT5S");
  }

  @Test
  void theRunsOwnPollIntervalCapsTheWait() {
    Date started = new Date(1_000_000);
    when(execution.getVariable("syncAskedAt")).thenReturn(started);
    when(execution.getVariable(RunVariables.POLL_INTERVAL)).thenReturn("PT0.1S");

    // shorter than the first poll: the run's interval wins
    assertThat(waitAt(started, 0)).isEqualTo("PT0.1S");
    assertThat(waitAt(started, 60_000)).isEqualTo("PT0.1S");
  }

  @Test
  void withoutTheStartItIsThePollIntervalAsBefore() {
    when(execution.getVariable(RunVariables.POLL_INTERVAL)).thenReturn("PT3S");
    assertThat(polls.after(execution, "syncAskedAt")).isEqualTo("PT3S");

    when(execution.getVariable(RunVariables.POLL_INTERVAL)).thenReturn("every now and then");
    assertThat(polls.after(execution, "syncAskedAt")).isEqualTo("PT5S");
  }

  private String waitAt(Date started, long millisLater) {
    ClockUtil.setCurrentTime(new Date(started.getTime() + millisLater));
    return polls.after(execution, "syncAskedAt");
  }
}
