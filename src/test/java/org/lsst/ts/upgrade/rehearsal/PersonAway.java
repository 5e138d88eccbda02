package org.lsst.ts.upgrade.rehearsal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The person a task with one form goes to is away: the autopilot leaves those tasks open (it tries
 * again later) until {@link #close()}, which also takes the stand-in back from the autopilot.
 */
public final class PersonAway implements AutoCloseable {
  private final Autopilot autopilot;
  private final AtomicBoolean away = new AtomicBoolean(true);
  private final Autopilot.TaskAction action;

  private PersonAway(Autopilot autopilot, String formId) {
    this.autopilot = autopilot;
    this.action = new Autopilot.TaskAction() {
      @Override
      public boolean handles(String form) {
        return form.equals(formId);
      }

      @Override
      public void perform(String site, String form, Map<String, Object> answers) {
        if (away.get()) {
          throw new IllegalStateException("the person is away (test)");
        }
      }
    };
  }

  /** From now on, tasks with this form stay open. */
  public static PersonAway from(Autopilot autopilot, String formId) {
    PersonAway p = new PersonAway(autopilot, formId);
    autopilot.addAction(p.action);
    return p;
  }

  @Override
  public void close() {
    away.set(false);
    autopilot.removeAction(action);
  }
}
