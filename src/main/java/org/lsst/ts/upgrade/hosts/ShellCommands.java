package org.lsst.ts.upgrade.hosts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.GitRefs;

/**
 * Turns site-file templates and run parameters into shell command lines. The template text is
 * trusted (it comes from the validated site file); each parameter is checked against a strict
 * pattern and single-quoted, so nothing a person typed can change the command's structure.
 */
final class ShellCommands {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
  /** A relative repository path, as in the site file's {@code repos[].path}. */
  private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final Set<String> PARAMETERS = Set.of("repo", "branch", "csc");

  private ShellCommands() {}

  /** The command line, or a HostCommandRejectedException naming the parameter and the reason. */
  static String render(HostCommand command) {
    String template = command.template();
    if (template == null || template.isBlank()) {
      throw new HostCommandRejectedException("the command template is empty");
    }
    if (template.indexOf('\n') >= 0 || template.indexOf('\r') >= 0 || template.indexOf('\0') >= 0) {
      throw new HostCommandRejectedException("the command template '" + template.strip()
          + "' contains a line break or NUL");
    }
    Set<String> used = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      if (!PARAMETERS.contains(name)) {
        throw new HostCommandRejectedException("the command template '" + template + "' has an unknown parameter {"
            + name + "}; known: " + PARAMETERS);
      }
      if (!command.params().containsKey(name)) {
        throw new HostCommandRejectedException("parameter '" + name + "' of '" + template + "' is missing");
      }
      used.add(name);
      m.appendReplacement(out, Matcher.quoteReplacement(quote(validate(name, command.params().get(name)))));
    }
    m.appendTail(out);
    for (Map.Entry<String, String> e : command.params().entrySet()) {
      if (!used.contains(e.getKey())) {
        throw new HostCommandRejectedException("parameter '" + e.getKey() + "' is not used by the command template '"
            + template + "'");
      }
    }
    return out.toString();
  }

  static List<String> renderAll(List<HostCommand> commands) {
    if (commands == null || commands.isEmpty()) {
      throw new HostCommandRejectedException("no command given");
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i) == null) {
        throw new HostCommandRejectedException("command " + (i + 1) + " is null");
      }
      lines.add(render(commands.get(i)));
    }
    return lines;
  }

  /** Checks one parameter value against its pattern; the message says which parameter and why. */
  static String validate(String name, String value) {
    if (value == null || value.isEmpty()) {
      throw new HostCommandRejectedException("parameter '" + name + "' is empty");
    }
    try {
      return switch (name) {
        case "branch" -> GitRefs.validate("parameter 'branch'", value);
        case "repo" -> {
          if (!REPO.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException("parameter 'repo' '" + printable(value)
                + "' must be a relative path of letters, digits, '.', '_', '-' and '/' without '..'");
          }
          yield value;
        }
        case "csc" -> CscId.parse(value).toString();
        default -> throw new IllegalArgumentException("unknown parameter '" + name + "'; known: " + PARAMETERS);
      };
    } catch (HostCommandRejectedException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      throw new HostCommandRejectedException(name.equals("csc") ? "parameter 'csc': " + printable(msg) : printable(msg));
    }
  }

  static String validateJobId(String jobId) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw new HostCommandRejectedException("job id '" + printable(String.valueOf(jobId))
          + "' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return jobId;
  }

  /** POSIX single quoting: the value is taken literally by the shell. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Makes control characters visible in error messages (a newline in a branch name, ...). */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  // ---- detached jobs -------------------------------------------------------------------------
  // The job's state lives on the host, under <jobDir>/<jobId>/: job.sh, log, pid, exit. Creating the
  // directory with mkdir is the atomic "start once" test, so starting the same job again does nothing.

  /** The command that starts the job unless its directory exists; prints {@code started} or {@code exists}. */
  static String detachedStart(String jobDir, String jobId, List<String> commands) {
    String dir = jobDir + "/" + jobId;
    List<String> script = new ArrayList<>();
    script.add("echo $$ > " + quote(dir + "/pid"));
    script.add("s=0");
    // the exit status is written however the shell ends: after the last step, or at a step's own "exit n"
    script.add("trap " + quote("r=$?; echo $r > " + quote(dir + "/exit.tmp") + " && mv " + quote(dir + "/exit.tmp") + " "
        + quote(dir + "/exit")) + " EXIT");
    for (String c : commands) {
      // one shell session for the whole sequence, as a person types it: what a command sources
      // (". ~/kafka.env": SAL_WORK_DIR, LSST_SAL_PREFIX) is still there for the next one's make;
      // each command starts from the home directory, as the site pages write them
      script.add("[ $s -eq 0 ] && { cd || exit 1; " + c + "; s=$?; }");
    }
    script.add("exit $s");
    StringBuilder lines = new StringBuilder();
    for (String l : script) {
      lines.append(' ').append(quote(l));
    }
    return "mkdir -p " + quote(jobDir) + " && if mkdir " + quote(dir) + " 2>/dev/null; then printf '%s\\n'"
        + lines + " > " + quote(dir + "/job.sh") + " && { nohup setsid sh " + quote(dir + "/job.sh") + " > "
        + quote(dir + "/log") + " 2>&1 < /dev/null & } && echo started; else echo exists; fi";
  }

  /**
   * The command that reports the job: first line {@code NOT_STARTED}, {@code RUNNING}, {@code EXIT <n>}
   * or {@code LOST} (no exit status and no process: killed, or the host rebooted), then the log's tail.
   */
  static String detachedStatus(String jobDir, String jobId, int tailBytes) {
    String dir = quote(jobDir + "/" + jobId);
    return "d=" + dir + "; if [ ! -d \"$d\" ]; then echo NOT_STARTED; elif [ -f \"$d/exit\" ]; then echo \"EXIT $(cat \"$d/exit\")\"; "
        + "elif [ ! -f \"$d/pid\" ] || kill -0 \"$(cat \"$d/pid\")\" 2>/dev/null; then echo RUNNING; "
        + "elif [ -f \"$d/exit\" ]; then echo \"EXIT $(cat \"$d/exit\")\"; else echo LOST; fi; "
        + "tail -c " + tailBytes + " \"$d/log\" 2>/dev/null; true";
  }

  // ---- reboots ---------------------------------------------------------------------------------
  // <jobDir>/<requestId>.boot_id keeps the boot id the host had when the reboot was first requested:
  // it survives the reboot, so a repeated request can tell whether the host has booted since.

  /** Records the boot id unless already recorded; prints the recorded boot id, then the current one. */
  static String bootRecord(String jobDir, String requestId) {
    return "mkdir -p " + quote(jobDir) + " && f=" + quote(jobDir + "/" + requestId + ".boot_id")
        + " && { [ -s \"$f\" ] || " + RemoteHosts.BOOT_ID + " > \"$f\"; } && cat \"$f\" /proc/sys/kernel/random/boot_id";
  }
}
