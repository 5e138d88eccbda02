package org.lsst.ts.upgrade.love;

/**
 * Where a script is by its ScriptQueue's own state (the latest {@code queue} event, heard since the
 * script's add was sent), and whether it ever started (it was the queue's current script, or reported
 * RUNNING). {@link Place#ABSENT}: the queue neither waits for it, nor runs it, nor ran it — a
 * restarted ScriptQueue forgets its queue and its history. {@link Place#UNKNOWN}: no queue state
 * heard since the add (Kafka down, a quiet queue) or one without its index arrays: nothing to judge by.
 */
public record ScriptWhereabouts(Place place, boolean started) {
  public enum Place { UNKNOWN, WAITING, CURRENT, FINISHED, ABSENT }

  public static ScriptWhereabouts unknown() {
    return new ScriptWhereabouts(Place.UNKNOWN, false);
  }
}
