package org.lsst.ts.upgrade.runbook;

/** Values of the decisions recorded by the forms' select fields (the first of each is the default). */
public final class Decisions {
  private Decisions() {}

  public static final String CHECK_AGAIN = "checkAgain";
  public static final String HANDLED_BY_HAND = "handledByHand";
  public static final String OVERRIDE = "override";
  public static final String ABORT = "abort";
  public static final String RETRY = "retry";
  public static final String SKIP = "skip";
  public static final String CONTINUE = "continue";
}
