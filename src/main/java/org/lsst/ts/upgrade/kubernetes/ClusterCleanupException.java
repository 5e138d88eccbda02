package org.lsst.ts.upgrade.kubernetes;

/**
 * The cluster refused or failed a request of a clean-up (the message names the site, the object
 * and what had already been deleted). Safe to retry: the clean-up operations are idempotent.
 */
public class ClusterCleanupException extends RuntimeException {
  public ClusterCleanupException(String message, Throwable cause) {
    super(message, cause);
  }
}
