package org.lsst.ts.upgrade.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector ({@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k},
 * {@code k in (a,b)}, {@code k notin (a,b)}, comma-separated). fabric8's mock server understands
 * only the equality and existence forms, so the twin evaluates the set-based ones itself.
 */
record TwinKubernetesSelector(List<Requirement> requirements) {

  record Requirement(String key, String op, Set<String> values, String text) {
    boolean setBased() {
      return op.equals("in") || op.equals("notin");
    }

    boolean matches(Map<String, String> labels) {
      String v = labels == null ? null : labels.get(key);
      return switch (op) {
        case "=" -> values.contains(v);
        case "!=" -> !values.contains(v);
        case "exists" -> v != null;
        case "!exists" -> v == null;
        case "in" -> v != null && values.contains(v);
        case "notin" -> v == null || !values.contains(v);
        default -> false;
      };
    }
  }

  private static final String KEY = "([A-Za-z0-9][-A-Za-z0-9_./]*)";
  private static final Pattern SET = Pattern.compile("\\s*" + KEY + "\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
  private static final Pattern EQ = Pattern.compile("\\s*" + KEY + "\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)" + KEY + "\\s*");

  /** Parses a selector; an IllegalArgumentException names the part it could not read. */
  static TwinKubernetesSelector parse(String text) {
    List<Requirement> out = new ArrayList<>();
    for (String part : split(text)) {
      Matcher m;
      if ((m = SET.matcher(part)).matches()) {
        Set<String> values = Set.copyOf(List.of(m.group(3).trim().split("\\s*,\\s*")));
        out.add(new Requirement(m.group(1), m.group(2), values, part.trim()));
      } else if ((m = EQ.matcher(part)).matches()) {
        out.add(new Requirement(m.group(1), m.group(2).equals("!=") ? "!=" : "=", Set.of(m.group(3)), part.trim()));
      } else if ((m = EXISTS.matcher(part)).matches()) {
        out.add(new Requirement(m.group(2), m.group(1).isEmpty() ? "exists" : "!exists", Set.of(), part.trim()));
      } else {
        throw new IllegalArgumentException("cannot read label selector requirement '" + part + "' in '" + text + "'");
      }
    }
    return new TwinKubernetesSelector(List.copyOf(out));
  }

  /** Splits at the commas that are not inside parentheses. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char ch : text.toCharArray()) {
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      }
      if (ch == ',' && depth == 0) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (!cur.toString().isBlank()) {
      parts.add(cur.toString());
    }
    return parts;
  }

  boolean hasSetBased() {
    return requirements.stream().anyMatch(Requirement::setBased);
  }

  boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  /** The equality/existence part, as the mock server can evaluate it (null if none). */
  String plainPart() {
    List<String> plain = requirements.stream().filter(r -> !r.setBased()).map(Requirement::text).toList();
    return plain.isEmpty() ? null : String.join(",", plain);
  }
}
