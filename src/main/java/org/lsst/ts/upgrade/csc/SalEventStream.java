package org.lsst.ts.upgrade.csc;

import java.util.List;
import java.util.function.Consumer;

/**
 * Any SAL event of a site, as the CSC monitor reads it from Kafka ({@code
 * lsst.<subname>.<Component>.logevent_<event>}, Confluent-framed Avro decoded with the writer
 * schema). The LOVE client follows {@code ScriptQueue}'s {@code script} events this way.
 */
public interface SalEventStream {

  /**
   * Calls the listener (on the monitor's consumer thread: return quickly, never block) for every
   * event of this component's topic read from now on. With {@code replayHistory} it is first given
   * the recent events already read (the topic's history, end offset minus a bounded count), then
   * the new ones; without, only events that were not history when read.
   */
  Subscription subscribe(String site, String component, String event, boolean replayHistory,
      Consumer<SalEvent> listener);

  /** The recent events of a subscribed topic already read (oldest first; bounded). */
  List<SalEvent> recent(String site, String component, String event);

  /** Stops the deliveries. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
