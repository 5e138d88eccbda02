package org.lsst.ts.upgrade.runbook.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;

/**
 * Engine-level tests of {@code run-script}'s wait: it ends when the script's end is heard
 * ({@link ScriptEndWaker} correlates {@code ScriptEnded}), not at the next poll; the poll interval
 * stays the backstop. LOVE's mock hands out the end futures the tests complete.
 */
class ScriptEndProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  /** Whether the script has ended (LOVE's outcome says so from then on). */
  private final AtomicBoolean ended = new AtomicBoolean();
  /** The end futures handed out, one per check that found the script running. */
  private final List<CompletableFuture<ScriptOutcome>> ends = new CopyOnWriteArrayList<>();

  @BeforeEach
  void love() {
    ended.set(false);
    ends.clear();
    doAnswer(inv -> 100001).when(h.love).addScript(anyString(), anyInt(), any());
    doAnswer(inv -> ended.get() ? Optional.of(outcome()) : Optional.empty()).when(h.love)
        .outcome(anyString(), anyInt(), anyInt());
    doAnswer(inv -> {
      CompletableFuture<ScriptOutcome> f = new CompletableFuture<>();
      ends.add(f);
      return f;
    }).when(h.love).whenEnded(eq("tts"), eq(1), eq(100001));
  }

  private static ScriptOutcome outcome() {
    return new ScriptOutcome(1, 100001, "set_summary_state.py", "DONE", "DONE", true, false, "done");
  }

  private ProcessInstance runScript(String tag, String pollInterval) {
    return h.engine.getRuntimeService().startProcessInstanceByKey(RunScriptIds.KEY, Map.of(RunVariables.SITE, "tts",
        RunVariables.RUN_ID, tag, RunVariables.SCRIPT_QUEUE, 1, RunVariables.POLL_INTERVAL, pollInterval,
        RunVariables.SCRIPT_PATH, "set_summary_state.py", RunVariables.SCRIPT_TAG, tag,
        RunVariables.SCRIPT_CONFIG_JSON, "{\"data\":[[\"Test:42\",\"STANDBY\"]]}"));
  }

  private ScriptEndWaker waker() {
    return (ScriptEndWaker) ((ProcessEngineConfigurationImpl) h.engine.getProcessEngineConfiguration()).getBeans()
        .get("scriptEndWaker");
  }

  private long finished(ProcessInstance pi, String activityId) {
    return h.engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
        .activityId(activityId).finished().count();
  }

  private boolean instanceEnded(ProcessInstance pi) {
    return h.engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(pi.getId())
        .finished().count() == 1;
  }

  private boolean waitsForTheEnd(ProcessInstance pi) {
    return h.engine.getRuntimeService().createEventSubscriptionQuery().processInstanceId(pi.getId())
        .eventName(RunScriptIds.MESSAGE_SCRIPT_ENDED).count() == 1;
  }

  @Test
  void theScriptsEndEventEndsTheWaitWithoutThePollTimer() {
    // a poll interval of two years: the harness never runs that timer, only the end event can end the wait
    ProcessInstance pi = runScript("end-event", "P2Y");
    h.runJobs(20);
    assertThat(waitsForTheEnd(pi)).isTrue();
    assertThat(ends).hasSize(1);
    assertThat(waker().registered()).isEqualTo(1);
    assertThat(instanceEnded(pi)).isFalse();

    ended.set(true);
    ends.get(0).complete(outcome()); // as the event store does on the Kafka consumer's thread

    // the waker's own thread correlates; the check after it is a job (asyncBefore)
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> !waitsForTheEnd(pi));
    h.runJobs(20);
    assertThat(instanceEnded(pi)).isTrue();
    assertThat(finished(pi, RunScriptIds.MESSAGE_EVENT_SCRIPT_ENDED)).isEqualTo(1);
    assertThat(finished(pi, RunScriptIds.TIMER_SCRIPT_POLL)).isZero();
    assertThat(h.engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(RunVariables.SCRIPT_SUCCEEDED).singleResult().getValue()).isEqualTo(true);
    assertThat(waker().registered()).isZero();
  }

  @Test
  void anEndHeardBetweenTheCheckAndItsRegistrationStillEndsTheWait() {
    // LOVE's future is complete when the waker asks for it: the end arrived just after the check read the outcome
    doAnswer(inv -> {
      ended.set(true);
      CompletableFuture<ScriptOutcome> f = CompletableFuture.completedFuture(outcome());
      ends.add(f);
      return f;
    }).when(h.love).whenEnded(eq("tts"), eq(1), eq(100001));
    ProcessInstance pi = runScript("end-before-registration", "P2Y");
    h.runJobs(20);

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
      h.runJobs(20);
      return instanceEnded(pi);
    });
    assertThat(finished(pi, RunScriptIds.MESSAGE_EVENT_SCRIPT_ENDED)).isEqualTo(1);
    assertThat(finished(pi, RunScriptIds.TIMER_SCRIPT_POLL)).isZero();
  }

  @Test
  void thePollIntervalIsTheBackstopWhenNoEndEventComes() {
    // no end event (another node, a restart, a lost event): the poll finds the script ended
    doAnswer(inv -> {
      int index = inv.getArgument(2);
      if (!ended.getAndSet(true)) {
        return Optional.empty();
      }
      return Optional.of(new ScriptOutcome(1, index, "set_summary_state.py", "DONE", "DONE", true, false, "done"));
    }).when(h.love).outcome(anyString(), anyInt(), anyInt());
    ProcessInstance pi = runScript("poll-backstop", "PT1S");
    h.runJobs(20);

    assertThat(instanceEnded(pi)).isTrue();
    assertThat(finished(pi, RunScriptIds.TIMER_SCRIPT_POLL)).isEqualTo(1);
    assertThat(finished(pi, RunScriptIds.MESSAGE_EVENT_SCRIPT_ENDED)).isZero();
    // the first check's registration does not outlive the wait: cancelled when the next check found the end
    assertThat(ends).hasSize(1);
    assertThat(ends.get(0)).isCancelled();
    assertThat(waker().registered()).isZero();
  }

  @Test
  void aNewCheckReplacesThePreviousRegistration() {
    // the script runs on: every poll's check registers anew, the one before is cancelled
    ProcessInstance pi = runScript("replaced", "PT1S");
    h.runJobs(7);
    assertThat(instanceEnded(pi)).isFalse();
    assertThat(ends.size()).isGreaterThanOrEqualTo(2);
    assertThat(ends.subList(0, ends.size() - 1)).allMatch(CompletableFuture::isCancelled);
    assertThat(ends.get(ends.size() - 1)).isNotDone();
    assertThat(waker().registered()).isEqualTo(1);

    ended.set(true);
    ends.get(ends.size() - 1).complete(outcome());
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
      h.runJobs(20);
      return instanceEnded(pi);
    });
    assertThat(waker().registered()).isZero();
  }
}
