package org.lsst.ts.upgrade.runbook.runs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text of {@code /upgrade <process> <site> key=value ...} into a run request body (the
 * same JSON fields as {@code POST /api/runs}). Values with spaces are quoted:
 * {@code cycle="Cycle 40"}. Validation of the values is the run API's.
 */
final class SlashCommandText {

  /** Short keys people type → run request fields. */
  static final Map<String, String> KEYS = Map.of(
      "cycle", "cycle",
      "revision", "revision",
      "breaking", "breakingSchemaChange",
      "phalanx", "phalanxRef",
      "dco", "dockerComposeOpsBranch",
      "lit", "loveIntegrationToolsBranch",
      "cscs", "cscs",
      "telescopes", "telescopes",
      "topics", "newTopics");

  private SlashCommandText() {}

  /** Splits on blanks, keeping double-quoted runs together; an unclosed quote is an error. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : (text == null ? "" : text.trim()).toCharArray()) {
      // Slack clients turn straight quotes into curly ones
      if (c == '"' || c == '\u201c' || c == '\u201d') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          out.add(cur.toString());
          cur.setLength(0);
          any = false;
        }
      } else {
        cur.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quote is not closed");
    }
    if (any) {
      out.add(cur.toString());
    }
    return out;
  }

  /** The run request body for {@code <process> <site> key=value ...}. */
  static Map<String, Object> runRequest(List<String> tokens) {
    if (tokens.size() < 2) {
      throw new IllegalArgumentException("say which process and which site, e.g. full-upgrade summit cycle=\"Cycle 40\"");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("process", tokens.get(0));
    body.put("site", tokens.get(1));
    List<String> problems = new ArrayList<>();
    for (String t : tokens.subList(2, tokens.size())) {
      int eq = t.indexOf('=');
      String key = eq < 0 ? t : t.substring(0, eq);
      String field = KEYS.get(key);
      if (eq < 0 || field == null) {
        problems.add("'" + t + "' is not key=value with a key among " + String.join(", ", KEYS.keySet().stream().sorted().toList()));
        continue;
      }
      String value = t.substring(eq + 1);
      switch (field) {
        case "breakingSchemaChange" -> {
          if (!value.equals("true") && !value.equals("false")) {
            problems.add("breaking must be true or false, not '" + value + "'");
          } else {
            body.put(field, Boolean.parseBoolean(value));
          }
        }
        case "cscs", "telescopes", "newTopics" -> body.put(field, Arrays.stream(value.split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).toList());
        default -> body.put(field, value);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return body;
  }
}
