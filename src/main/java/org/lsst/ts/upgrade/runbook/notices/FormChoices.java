package org.lsst.ts.upgrade.runbook.notices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * What a task's Camunda Form asks, as buttons a Slack message can offer. The forms are the files
 * the application deploys ({@code forms/*.form} on the classpath), read once by id. A form gets
 * buttons when its decision is small:
 *
 * <ul>
 *   <li>one select (or radio) of at most {@value #MAX_CHOICES} options: a button per option,
 *       except an option that has a field of its own (its reason: {@code abort} and
 *       {@code abortReason}), which is given in Tasklist;
 *   <li>checkboxes only (at most three): one button that confirms them all, saying what; when
 *       none is required, a "No" button too (all unticked).
 * </ul>
 * Optional text fields (notes) do not prevent buttons: they can be filled in Tasklist instead.
 * Anything else (a required text, many fields, a select and checkboxes) has no buttons: the message
 * links to the task in Tasklist.
 */
final class FormChoices {
  static final int MAX_CHOICES = 5;
  /** Slack's limit on a button's text. */
  static final int MAX_LABEL = 75;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

  /** A button: its id (an option value, {@code yes} or {@code no}), its text and the variables it sets. */
  record Choice(String id, String label, Map<String, Object> values) {}

  /**
   * @param intro the form's first text (Markdown, with {@code {{variable}}} placeholders)
   * @param fields every field a person fills (key → label), what a completion reports
   * @param choices the buttons; empty when the task is for Tasklist only
   */
  record Shape(String formId, String intro, Map<String, String> fields, List<Choice> choices) {
    Optional<Choice> choice(String id) {
      return choices.stream().filter(c -> c.id().equals(id)).findFirst();
    }
  }

  private final Map<String, Shape> shapes = new LinkedHashMap<>();

  FormChoices() {
    ObjectMapper json = new ObjectMapper();
    try {
      for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:forms/*.form")) {
        try (InputStream in = r.getInputStream()) {
          JsonNode form = json.readTree(in);
          String id = form.path("id").asText(null);
          if (id != null) {
            shapes.putIfAbsent(id, shape(id, form));
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the forms on the classpath", e);
    }
  }

  Optional<Shape> of(String formId) {
    return Optional.ofNullable(formId == null ? null : shapes.get(formId));
  }

  static Shape shape(String id, JsonNode form) {
    List<JsonNode> editable = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    collect(form, editable, texts);
    Map<String, String> fields = new LinkedHashMap<>();
    List<JsonNode> selects = new ArrayList<>();
    List<JsonNode> boxes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean tasklistOnly = false;
    for (JsonNode c : editable) {
      String key = c.get("key").asText();
      fields.put(key, c.path("label").asText(key));
      boolean required = c.path("validate").path("required").asBoolean(false);
      switch (c.path("type").asText()) {
        case "select", "radio" -> selects.add(c);
        case "checkbox" -> boxes.add(c);
        case "textfield", "textarea" -> {
          if (required) {
            tasklistOnly = true;
          } else {
            notes.add(key.toLowerCase(Locale.ROOT));
          }
        }
        default -> tasklistOnly = true;
      }
    }
    List<Choice> choices = new ArrayList<>();
    if (!tasklistOnly && selects.size() == 1 && boxes.isEmpty()) {
      JsonNode select = selects.get(0);
      String key = select.get("key").asText();
      for (JsonNode v : select.path("values")) {
        String value = v.path("value").asText();
        // an option with a field of its own (abort → abortReason) needs that field: Tasklist
        if (notes.stream().noneMatch(n -> n.contains(value.toLowerCase(Locale.ROOT)))) {
          choices.add(new Choice(value, label(v.path("label").asText(value)), Map.of(key, value)));
        }
      }
      if (choices.size() > MAX_CHOICES) {
        choices.clear();
      }
    } else if (!tasklistOnly && selects.isEmpty() && !boxes.isEmpty() && boxes.size() <= 3) {
      Map<String, Object> yes = new LinkedHashMap<>();
      Map<String, Object> no = new LinkedHashMap<>();
      List<String> labels = new ArrayList<>();
      boolean anyRequired = false;
      for (JsonNode b : boxes) {
        yes.put(b.get("key").asText(), true);
        no.put(b.get("key").asText(), false);
        labels.add(b.path("label").asText(b.get("key").asText()));
        anyRequired |= b.path("validate").path("required").asBoolean(false);
      }
      choices.add(new Choice("yes", label("✓ " + String.join("; ", labels)), Map.copyOf(yes)));
      if (!anyRequired) {
        choices.add(new Choice("no", boxes.size() == 1 ? "No" : "None of these", Map.copyOf(no)));
      }
    }
    return new Shape(id, texts.isEmpty() ? "" : texts.get(0), java.util.Collections.unmodifiableMap(fields),
        List.copyOf(choices));
  }

  private static void collect(JsonNode node, List<JsonNode> editable, List<String> texts) {
    for (JsonNode c : node.path("components")) {
      if ("text".equals(c.path("type").asText()) && c.hasNonNull("text")) {
        texts.add(c.get("text").asText());
      } else if (c.hasNonNull("key") && !c.path("readonly").asBoolean(false) && !c.path("disabled").asBoolean(false)) {
        editable.add(c);
      }
      collect(c, editable, texts);
    }
  }

  private static String label(String s) {
    return s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL - 1) + "…";
  }

  /** The placeholders of a form text ({@code {{cycle}}} → cycle). */
  static List<String> placeholders(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * A form text as a short Slack message: placeholders filled in, Markdown turned into Slack's
   * mrkdwn (headings and bold as bold, links as Slack links), at most {@code max} characters.
   */
  static String mrkdwn(String text, Map<String, Object> values, int max) {
    String s = PLACEHOLDER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
        String.valueOf(values.getOrDefault(m.group(1), ""))));
    s = s.replaceAll("(?m)^#{1,6}\\s*(.+)$", "*$1*");
    s = s.replaceAll("\\*\\*(.+?)\\*\\*", "*$1*");
    s = s.replaceAll("\\[([^\\]]+)]\\((https?://[^)\\s]+)\\)", "<$2|$1>");
    s = s.replace("&", "&amp;").replace("<!", "&lt;!");
    s = s.strip();
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
