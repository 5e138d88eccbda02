package org.lsst.ts.upgrade.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the twin's hosts understand of shell syntax: single-quoted words, and the fixed shapes of
 * the orchestrator's detached-job commands (start once, read status). A real host runs these with
 * {@code sh}; the twin recognises them and acts on its own state instead.
 */
final class TwinSshShell {
  private TwinSshShell() {}

  /** {@code mkdir -p '<jobDir>' && if mkdir '<dir>' 2>/dev/null; then printf '%s\n' <lines> > '<dir>/job.sh' && { nohup setsid sh ... & } && echo started; else echo exists; fi} */
  private static final Pattern DETACHED_START = Pattern.compile(
      "mkdir -p '([^']+)' && if mkdir '([^']+)' 2>/dev/null; then printf '%s\\\\n' (.*) > '([^']+)/job\\.sh'"
          + " && \\{ nohup setsid sh '[^']+/job\\.sh' > '[^']+/log' 2>&1 < /dev/null & } && echo started; else echo exists; fi");
  /** A step in a subshell of its own (what it sources is gone after it). */
  private static final Pattern DETACHED_STEP = Pattern.compile("\\[ \\$s -eq 0 ] && \\{ \\(cd \\|\\| exit 1; (.*)\\); s=\\$\\?; }");
  /** A step in the script's own shell (one session: what it sources stays for the next steps). */
  private static final Pattern DETACHED_SESSION_STEP = Pattern.compile("\\[ \\$s -eq 0 ] && \\{ cd \\|\\| exit 1; (.*); s=\\$\\?; }");
  private static final Pattern DETACHED_STATUS = Pattern.compile(
      "d='([^']+)'; if \\[ ! -d \"\\$d\" ]; then echo NOT_STARTED; .* tail -c ([0-9]+) \"\\$d/log\" 2>/dev/null; true");

  /** {@code mkdir -p '<jobDir>' && f='<file>' && { [ -s "$f" ] || cat <boot_id> > "$f"; } && cat "$f" <boot_id>} */
  private static final Pattern BOOT_RECORD = Pattern.compile(
      "mkdir -p '[^']+' && f='([^']+\\.boot_id)' && \\{ \\[ -s \"\\$f\" ] \\|\\| cat /proc/sys/kernel/random/boot_id > \"\\$f\"; }"
          + " && cat \"\\$f\" /proc/sys/kernel/random/boot_id");

  /**
   * A detached start: the job directory and the commands its script runs, in order; {@code oneShell}
   * when they run in the script's own shell (an environment sourced by one is there for the next).
   */
  record DetachedStart(String dir, List<String> commands, boolean oneShell) {}

  /** A status query for the job in {@code dir}. */
  record DetachedStatus(String dir, int tailBytes) {}

  static DetachedStart detachedStart(String line) {
    Matcher m = DETACHED_START.matcher(line);
    if (!m.matches() || !m.group(2).equals(m.group(4))) {
      return null;
    }
    List<String> commands = new ArrayList<>();
    boolean oneShell = true;
    for (String scriptLine : words(m.group(3))) {
      Matcher step = DETACHED_STEP.matcher(scriptLine);
      Matcher session = DETACHED_SESSION_STEP.matcher(scriptLine);
      if (step.matches()) {
        commands.add(step.group(1));
        oneShell = false;
      } else if (session.matches()) {
        commands.add(session.group(1));
      }
    }
    return new DetachedStart(m.group(2), commands, oneShell);
  }

  static DetachedStatus detachedStatus(String line) {
    Matcher m = DETACHED_STATUS.matcher(line);
    return m.matches() ? new DetachedStatus(m.group(1), Integer.parseInt(m.group(2))) : null;
  }

  /** The file of a boot-id record (record the boot id once, print the recorded and the current one), or null. */
  static String bootRecord(String line) {
    Matcher m = BOOT_RECORD.matcher(line);
    return m.matches() ? m.group(1) : null;
  }

  /** Splits shell words: blanks separate, '...' is literal, a backslash quotes the next character. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t') {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
        continue;
      }
      if (w == null) {
        w = new StringBuilder();
      }
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated quote");
        }
        w.append(text, i + 1, end);
        i = end;
      } else if (c == '\\' && i + 1 < text.length()) {
        w.append(text.charAt(++i));
      } else {
        w.append(c);
      }
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }
}
