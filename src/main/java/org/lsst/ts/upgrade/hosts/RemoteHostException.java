package org.lsst.ts.upgrade.hosts;

/**
 * A host could not be reached or refused us (connection, host key, authentication): a technical
 * failure worth retrying. The message names the host and the reason.
 */
public class RemoteHostException extends RuntimeException {
  public RemoteHostException(String message, Throwable cause) {
    super(message, cause);
  }
}
