package org.lsst.ts.upgrade.argocd;

/**
 * Argo CD could not be asked (unreachable, timed out, credentials missing or rejected, an error
 * answer). The message names the site, the request and Argo CD's own message; never a secret.
 */
public class ArgoCdException extends RuntimeException {
  private final int status;

  public ArgoCdException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
