package org.lsst.ts.upgrade.hosts;

import java.time.Duration;
import java.util.List;

/**
 * One host's result. {@code error} says why the host could not be reached or a command was
 * refused (null when every command ran).
 */
public record HostResult(String host, boolean ok, List<CommandResult> commands, String error) {

  /** One command's exit status and (size-bounded) output. */
  public record CommandResult(String command, int exitStatus, String stdout, String stderr, Duration duration) {
    public boolean ok() {
      return exitStatus == 0;
    }
  }
}
