package org.lsst.ts.upgrade.hosts;

import java.time.Duration;
import java.util.List;

/**
 * One host's result. {@code error} says why the host could not be reached or a command was
 * refused (null when every command ran).
 */
public record HostResult(String host, boolean ok, List<CommandResult> commands, String error) {
  private static final int LINE_CHARS = 200;

  /** One command's exit status and (size-bounded) output. */
  public record CommandResult(String command, int exitStatus, String stdout, String stderr, Duration duration) {
    public boolean ok() {
      return exitStatus == 0;
    }
  }

  /**
   * A short text for the run's history: the host and whether it succeeded, then each command with
   * its exit status and the first {@code lines} lines of its stdout and stderr (long lines cut).
   */
  public String summary(int lines) {
    StringBuilder b = new StringBuilder(host).append(ok ? ": ok" : ": FAILED");
    if (error != null) {
      b.append(" (").append(cut(error)).append(')');
    }
    for (CommandResult c : commands) {
      b.append("\n$ ").append(cut(c.command())).append("  -> exit ").append(c.exitStatus());
      appendLines(b, "  ", c.stdout(), lines);
      appendLines(b, "  stderr: ", c.stderr(), lines);
    }
    return b.toString();
  }

  private static void appendLines(StringBuilder b, String prefix, String text, int max) {
    if (text == null || text.isBlank()) {
      return;
    }
    List<String> all = text.strip().lines().toList();
    all.stream().limit(max).forEach(l -> b.append('\n').append(prefix).append(cut(l)));
    if (all.size() > max) {
      b.append('\n').append(prefix).append("(").append(all.size() - max).append(" more lines)");
    }
  }

  private static String cut(String s) {
    String one = ShellCommands.printable(s);
    return one.length() <= LINE_CHARS ? one : one.substring(0, LINE_CHARS) + "…";
  }
}
