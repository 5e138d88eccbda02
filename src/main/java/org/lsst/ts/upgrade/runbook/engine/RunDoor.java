package org.lsst.ts.upgrade.runbook.engine;

import java.util.function.Supplier;

/**
 * The one door into a run: the run API opens it, on its own thread, for the start it has checked
 * (input validation, the caller's right to start, one active run per site). A person's start of a
 * process anywhere else (the engine's REST API, Tasklist's "Start process", a restart from Cockpit)
 * finds it closed and is refused by {@link PeoplePolicy}; a start of a run process by anything else
 * is refused by the run API's start listener.
 */
public final class RunDoor {
  private static final ThreadLocal<Boolean> OPEN = new ThreadLocal<>();

  private RunDoor() {}

  /** Runs the start with the door open. */
  public static <T> T through(Supplier<T> start) {
    Boolean before = OPEN.get();
    OPEN.set(Boolean.TRUE);
    try {
      return start.get();
    } finally {
      if (before == null) {
        OPEN.remove();
      } else {
        OPEN.set(before);
      }
    }
  }

  public static boolean isOpen() {
    return Boolean.TRUE.equals(OPEN.get());
  }
}
