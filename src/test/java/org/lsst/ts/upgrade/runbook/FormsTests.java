package org.lsst.ts.upgrade.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.rehearsal.Autopilot;

/**
 * No confirmation is pre-ticked and no decision has a default a tired person can click through:
 * no checkbox of a form in {@code forms/} has {@code defaultValue: true}, and no decision field
 * (select, radio) has a default at all. The rehearsal autopilot answers from its own sheet, which
 * names only forms and fields that exist. Each rule is shown to catch a broken copy.
 */
class FormsTests {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FORMS = Path.of("forms");
  static final Set<String> DECISION_TYPES = Set.of("select", "radio", "checklist", "taglist");

  /** Every violation in the forms of {@code dir}. */
  static List<String> problems(Path dir) throws Exception {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".form")).sorted().toList()) {
        check(f.getFileName().toString(), JSON.readTree(f.toFile()).path("components"), problems);
      }
    }
    return problems;
  }

  private static void check(String file, JsonNode components, List<String> problems) {
    for (JsonNode c : components) {
      check(file, c.path("components"), problems);
      if (!c.has("key") || !c.has("defaultValue") || c.path("readonly").asBoolean(false)) {
        continue;
      }
      String type = c.path("type").asText();
      JsonNode d = c.get("defaultValue");
      if (type.equals("checkbox") && d.asBoolean(false)) {
        problems.add(file + ": checkbox '" + c.get("key").asText() + "' is pre-ticked (defaultValue: true)");
      } else if (DECISION_TYPES.contains(type) && !d.isNull()) {
        problems.add(file + ": decision '" + c.get("key").asText() + "' has a default (" + d + ")");
      }
    }
  }

  /** Every field key of each form, by form id. */
  static Map<String, Set<String>> fields(Path dir) throws Exception {
    Map<String, Set<String>> all = new HashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".form")).toList()) {
        JsonNode form = JSON.readTree(f.toFile());
        Set<String> keys = new TreeSet<>();
        form.findValues("key").forEach(k -> keys.add(k.asText()));
        all.put(form.path("id").asText(), keys);
      }
    }
    return all;
  }

  @Test
  void noConfirmationIsPreTickedAndNoDecisionHasADefault() throws Exception {
    assertThat(problems(FORMS)).isEmpty();
  }

  @Test
  void aPreTickedConfirmationInACopyIsCaught(@TempDir Path dir) throws Exception {
    copyWith(dir, "m2-enabled-before-hexrot.form", "m2Enabled", true);
    assertThat(problems(dir)).containsExactly(
        "m2-enabled-before-hexrot.form: checkbox 'm2Enabled' is pre-ticked (defaultValue: true)");
  }

  @Test
  void aDecisionWithADefaultInACopyIsCaught(@TempDir Path dir) throws Exception {
    copyWith(dir, "cscs-still-alive.form", "stillAliveDecision", "handledByHand");
    assertThat(problems(dir)).containsExactly(
        "cscs-still-alive.form: decision 'stillAliveDecision' has a default (\"handledByHand\")");
  }

  @Test
  void theAutopilotsAnswerSheetNamesOnlyFormsAndFieldsThatExistAndAnswersEveryConfirmation() throws Exception {
    Map<String, Set<String>> fields = fields(FORMS);
    Map<String, Map<String, Object>> sheet = Autopilot.answerSheet();
    sheet.forEach((form, answers) -> {
      assertThat(fields).as("answer sheet form " + form).containsKey(form);
      assertThat(fields.get(form)).as("fields of " + form).containsAll(answers.keySet());
    });
    // every required field of every form is answered (the autopilot can always complete)
    try (Stream<Path> s = Files.list(FORMS)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".form")).toList()) {
        JsonNode form = JSON.readTree(f.toFile());
        for (JsonNode c : form.findParents("key")) {
          if (c.path("validate").path("required").asBoolean(false)) {
            assertThat(sheet.getOrDefault(form.path("id").asText(), Map.of()))
                .as(f + ": required field " + c.get("key").asText()).containsKey(c.get("key").asText());
          }
        }
      }
    }
  }

  /** The tasks where someone watches the CSCs: each links LOVE's summary view and the Chronograf dashboards. */
  static final List<String> MONITORING_FORMS = List.of("monitor-timeout", "cscs-still-alive", "fix-held-states",
      "m2-enabled-before-hexrot", "host-not-back", "update-held-crios");

  @Test
  void everyMonitoringTaskLinksTheLoveSummaryViewAndTheChronografDashboards() throws Exception {
    for (String f : MONITORING_FORMS) {
      assertThat(Files.readString(FORMS.resolve(f + ".form"))).as(f).contains("{{" + RunVariables.MONITORING_LINKS_TEXT + "}}");
    }
    var summit = new org.lsst.ts.upgrade.site.Sites(new org.lsst.ts.upgrade.site.SiteProperties(null)).require("summit");
    assertThat(RunPlans.monitoringLinks(summit)).contains("ASummary State View", "Heartbeats", "MT Summary State Monitor");
  }

  private static void copyWith(Path dir, String file, String key, Object defaultValue) throws Exception {
    try (Stream<Path> s = Files.list(FORMS)) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    JsonNode form = JSON.readTree(dir.resolve(file).toFile());
    ObjectNode field = (ObjectNode) form.findParents("key").stream()
        .filter(c -> c.get("key").asText().equals(key)).findFirst().orElseThrow();
    field.set("defaultValue", JSON.valueToTree(defaultValue));
    JSON.writeValue(dir.resolve(file).toFile(), form);
  }
}
