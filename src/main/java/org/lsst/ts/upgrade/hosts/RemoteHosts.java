package org.lsst.ts.upgrade.hosts;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /**
   * {@link #startDetached} on each host ({@code jobIds}: host to job id), hosts at once on a bounded
   * pool, so a step's hosts take as long as the slowest one rather than their sum. Every host is
   * tried; if any could not be started, a {@link RemoteHostException} names each such host.
   */
  default Map<String, DetachedStatus> startDetachedOnEach(String site, Map<String, String> jobIds,
      Map<String, List<HostCommand>> commandsByHost) {
    return eachHost(jobIds, (host, job) -> startDetached(site, host, job, commandsByHost.get(host)));
  }

  /** {@link #detachedStatus} of each host's job at once, like {@link #startDetachedOnEach}. */
  default Map<String, DetachedStatus> detachedStatuses(String site, Map<String, String> jobIds) {
    return eachHost(jobIds, (host, job) -> detachedStatus(site, host, job));
  }

  /** One host after the other: the SSH implementation runs them on its pool instead. */
  private static Map<String, DetachedStatus> eachHost(Map<String, String> jobIds,
      java.util.function.BiFunction<String, String, DetachedStatus> call) {
    Map<String, DetachedStatus> out = new java.util.LinkedHashMap<>();
    List<String> failures = new java.util.ArrayList<>();
    jobIds.forEach((host, job) -> {
      try {
        out.put(host, call.apply(host, job));
      } catch (RuntimeException e) {
        failures.add(e.getMessage());
      }
    });
    if (!failures.isEmpty()) {
      throw new RemoteHostException(String.join(" | ", failures), null);
    }
    return out;
  }

  /** The command that reboots a host (run as the login user; needs passwordless sudo for reboot). */
  String REBOOT = "sudo reboot";

  /** Prints the host's boot id: a random UUID the kernel draws at every boot. */
  String BOOT_ID = "cat /proc/sys/kernel/random/boot_id";

  /**
   * Reboots the host ({@link #REBOOT}) once per {@code requestId} (a job id). First it records the
   * host's boot id on the host (in the job directory, which survives the reboot); a repeated request
   * (a retried step) that finds the host booted since that record does not reboot again. Succeeds
   * when the command exits 0 or the host drops the connection (it is going down); the host is back
   * once {@link #bootId} answers something other than {@link Reboot#bootIdBefore}.
   */
  Reboot reboot(String site, String host, String requestId);

  /**
   * @param result the commands run (the boot-id record, then the reboot unless already done)
   * @param bootIdBefore the boot id recorded by the first request (null when the host could not be reached)
   * @param alreadyRebooted the host had booted since the first request: nothing was run now
   */
  record Reboot(HostResult result, String bootIdBefore, boolean alreadyRebooted) {}

  /** The host's boot id now ({@link #BOOT_ID}); empty when the host cannot be reached. */
  Optional<String> bootId(String site, String host);

  /** Whether the host accepts a connection with its known key and our key now (no command run). */
  boolean reachable(String site, String host);

  /** The no-op the preflight runs on every host of a run: proves a shell, nothing changes. */
  String NO_OP = "true";

  /**
   * The preflight's check of a host: connects with strict host-key checking and our key and runs
   * {@link #NO_OP}. Empty when that worked, else what failed (unknown or changed host key, refused
   * login, host down), naming the host and address.
   */
  default Optional<String> accessProblem(String site, String host) {
    return reachable(site, host) ? Optional.empty() : Optional.of(host + " cannot be reached over SSH");
  }
}
