package org.lsst.ts.upgrade.hosts;

import java.util.List;
import java.util.Map;

/**
 * Commands on the site's bare-metal hosts and cRIOs over SSH (strict host-key checking). Every
 * parameter is validated and shell-quoted before any connection is made.
 */
public interface RemoteHosts {

  /** Runs the commands in order on one host, stopping at the first that fails. */
  HostResult run(String site, String host, List<HostCommand> commands);

  /** Runs each host's commands on that host, hosts in parallel (bounded pool); one result per host. */
  List<HostResult> runOnEach(String site, Map<String, List<HostCommand>> commandsByHost);

  /**
   * Starts long commands detached on the host (output to a log file there). Idempotent per
   * {@code jobId}: if that job was already started, nothing is started again.
   */
  DetachedStatus startDetached(String site, String host, String jobId, List<HostCommand> commands);

  /** Polls a detached job; survives a restart of the orchestrator (state lives on the host). */
  DetachedStatus detachedStatus(String site, String host, String jobId);

  /** The command that reboots a host (run as the login user; needs passwordless sudo for reboot). */
  String REBOOT = "sudo reboot";

  /**
   * Reboots the host ({@link #REBOOT}). Succeeds when the command exits 0 or the host drops the
   * connection (it is going down); poll {@link #reachable} to see it come back.
   */
  HostResult reboot(String site, String host);

  /** Whether the host accepts a connection with its known key and our key now (no command run). */
  boolean reachable(String site, String host);
}
