package org.lsst.ts.upgrade.love;

/**
 * How a script ended. Success only when processState is DONE and scriptState is DONE. A failed
 * script leaves its queue paused ({@link #queuePaused()}) until {@link Love#resumeQueue}.
 */
public record ScriptOutcome(
    int queue,
    int scriptIndex,
    String path,
    String processState,
    String scriptState,
    boolean success,
    boolean queuePaused,
    String message) {}
