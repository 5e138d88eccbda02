package org.lsst.ts.upgrade.hosts;

/**
 * A command refused before any connection: a parameter does not match its pattern, a template
 * names an unknown parameter, or the host is not in the site file. The message says which and why.
 */
public class HostCommandRejectedException extends IllegalArgumentException {
  public HostCommandRejectedException(String message) {
    super(message);
  }
}
