package org.lsst.ts.upgrade.love;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ScriptEventStore#whenEnded}: a future of its own per waiter, completed by the script's end
 * event (or at once if it was heard already), and forgotten by the store once it completes in any
 * way, so a waiter that gives up leaves nothing behind.
 */
class ScriptEndWaitersTests {
  private final ScriptEventStore store = new ScriptEventStore();

  private void event(int index, int processState, int scriptState) {
    store.accept("tts", new ScriptEvent(1, index, "set_summary_state.py", true, processState, scriptState));
  }

  @Test
  void theEndEventCompletesEveryWaiterAndTheStoreForgetsThem() {
    event(100001, ScriptStates.P_RUNNING, ScriptStates.S_RUNNING);
    CompletableFuture<ScriptOutcome> a = store.whenEnded("tts", 1, 100001);
    CompletableFuture<ScriptOutcome> b = store.whenEnded("tts", 1, 100001);
    assertThat(a).isNotSameAs(b).isNotDone();
    assertThat(store.endWaiters()).isEqualTo(2);

    event(100001, ScriptStates.P_DONE, ScriptStates.S_DONE);
    assertThat(a.join().success()).isTrue();
    assertThat(b.join().scriptIndex()).isEqualTo(100001);
    assertThat(store.endWaiters()).isZero();
  }

  @Test
  void anEndHeardBeforeTheWaiterAskedCompletesItAtOnce() {
    event(100002, ScriptStates.P_DONE, ScriptStates.S_DONE);
    assertThat(store.whenEnded("tts", 1, 100002)).isCompleted();
    assertThat(store.endWaiters()).isZero();
  }

  @Test
  void aCancelledOrTimedOutWaiterIsForgottenAndTheOthersStillHearTheEnd() {
    CompletableFuture<ScriptOutcome> cancelled = store.whenEnded("tts", 1, 100003);
    CompletableFuture<ScriptOutcome> timedOut = store.whenEnded("tts", 1, 100003);
    CompletableFuture<ScriptOutcome> kept = store.whenEnded("tts", 1, 100003);
    cancelled.cancel(false);
    timedOut.orTimeout(1, TimeUnit.MILLISECONDS);
    // the timeout completes it on the JDK's delayer thread
    await().atMost(Duration.ofSeconds(5)).until(() -> store.endWaiters() == 1);
    assertThat(timedOut).isCompletedExceptionally();

    event(100003, ScriptStates.P_DONE, ScriptStates.S_DONE);
    assertThat(kept).isCompleted();
    assertThat(store.endWaiters()).isZero();
  }
}
