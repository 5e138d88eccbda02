package org.lsst.ts.upgrade.love;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.love.ScriptWhereabouts.Place;

/**
 * Where a script is by its queue's {@code queue} event ({@link ScriptEventStore#whereabouts}): only
 * an event heard since the add was sent says anything, so a Kafka outage never makes a script lost.
 */
class ScriptWhereaboutsTests {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));
  private final ScriptEventStore store = new ScriptEventStore(new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  });

  private void queue(int current, List<Integer> waiting, List<Integer> past) {
    store.accept("tts", new QueueEvent(1, true, true, current, waiting, past));
  }

  private Instant later() {
    return now.updateAndGet(t -> t.plus(Duration.ofSeconds(1)));
  }

  @Test
  void aScriptIsWaitingCurrentFinishedOrAbsentByTheLatestQueueEvent() {
    Instant sent = later();
    later();
    queue(0, List.of(100001), List.of());
    assertThat(store.whereabouts("tts", 1, 100001, sent)).isEqualTo(new ScriptWhereabouts(Place.WAITING, false));
    queue(100001, List.of(), List.of());
    assertThat(store.whereabouts("tts", 1, 100001, sent)).isEqualTo(new ScriptWhereabouts(Place.CURRENT, true));
    queue(0, List.of(), List.of(100001));
    assertThat(store.whereabouts("tts", 1, 100001, sent).place()).isEqualTo(Place.FINISHED);
    // the queue restarted: it knows nothing; the script had started
    queue(0, List.of(), List.of());
    assertThat(store.whereabouts("tts", 1, 100001, sent)).isEqualTo(new ScriptWhereabouts(Place.ABSENT, true));
  }

  @Test
  void aQueueEventHeardBeforeTheAddWasSentSaysNothing() {
    queue(0, List.of(), List.of());
    Instant sent = later(); // Kafka down since: nothing heard after the add
    assertThat(store.whereabouts("tts", 1, 100002, sent).place()).isEqualTo(Place.UNKNOWN);
    assertThat(store.whereabouts("tts", 2, 200001, sent).place()).as("no event at all").isEqualTo(Place.UNKNOWN);
  }

  @Test
  void aQueueEventWithoutItsIndexArraysSaysNothing() {
    Instant sent = later();
    store.accept("tts", new QueueEvent(1, true, true, 0, List.of(), List.of(), false));
    assertThat(store.whereabouts("tts", 1, 100003, sent).place()).isEqualTo(Place.UNKNOWN);
  }

  @Test
  void aScriptThatReportedRunningHasStarted() {
    Instant sent = later();
    store.accept("tts", new ScriptEvent(1, 100004, "set_summary_state.py", true, ScriptStates.P_RUNNING,
        ScriptStates.S_RUNNING));
    queue(0, List.of(), List.of());
    assertThat(store.whereabouts("tts", 1, 100004, sent)).isEqualTo(new ScriptWhereabouts(Place.ABSENT, true));
  }
}
