package org.lsst.ts.upgrade.love;

import java.util.List;

/**
 * One ScriptQueue {@code logevent_queue} event: is it enabled, is it running (not paused), its scripts:
 * the one it runs ({@code currentSalIndex}, 0: none), those waiting ({@code salIndices}, in order) and
 * those that ran ({@code pastSalIndices}, newest first; the queue keeps 400). {@code listed}: the
 * event carried the two index arrays (a writer without them says nothing of where a script is).
 */
public record QueueEvent(int queue, boolean enabled, boolean running, int currentSalIndex, List<Integer> salIndices,
    List<Integer> pastSalIndices, boolean listed) {

  public QueueEvent {
    salIndices = salIndices == null ? List.of() : List.copyOf(salIndices);
    pastSalIndices = pastSalIndices == null ? List.of() : List.copyOf(pastSalIndices);
  }

  /** An event with its index arrays. */
  public QueueEvent(int queue, boolean enabled, boolean running, int currentSalIndex, List<Integer> salIndices,
      List<Integer> pastSalIndices) {
    this(queue, enabled, running, currentSalIndex, salIndices, pastSalIndices, true);
  }
}
