package org.lsst.ts.upgrade.love;

import java.util.List;

/** One ScriptQueue {@code logevent_queue} event: is it enabled, is it running (not paused), its scripts. */
public record QueueEvent(int queue, boolean enabled, boolean running, int currentSalIndex, List<Integer> salIndices,
    List<Integer> pastSalIndices) {

  public QueueEvent {
    salIndices = salIndices == null ? List.of() : List.copyOf(salIndices);
    pastSalIndices = pastSalIndices == null ? List.of() : List.copyOf(pastSalIndices);
  }
}
