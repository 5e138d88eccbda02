package org.lsst.ts.upgrade.hosts;

/** State of a detached long command on a host. */
public record DetachedStatus(String host, String jobId, State state, Integer exitStatus, String logTail) {
  public enum State {
    NOT_STARTED,
    RUNNING,
    SUCCEEDED,
    FAILED
  }
}
