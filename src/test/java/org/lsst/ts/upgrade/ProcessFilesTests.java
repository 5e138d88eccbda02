package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.api.Test;

/**
 * Static checks of every BPMN under {@code processes/} (and the test processes): each executable
 * process sets a history time to live, and each deployment-bound form reference names a form that
 * exists under {@code forms/}.
 */
class ProcessFilesTests {
  static final List<Path> PROCESS_DIRS = List.of(Path.of("processes"), Path.of("src/test/resources/processes"));
  static final List<Path> FORM_DIRS = List.of(Path.of("forms"), Path.of("src/test/resources/forms"));

  static List<Path> files(List<Path> dirs, String suffix) throws IOException {
    List<Path> result = new ArrayList<>();
    for (Path dir : dirs) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.filter(p -> p.toString().endsWith(suffix)).sorted().forEach(result::add);
        }
      }
    }
    return result;
  }

  @Test
  void everyProcessSetsAHistoryTimeToLive() throws IOException {
    List<String> missing = new ArrayList<>();
    List<Path> bpmns = files(PROCESS_DIRS, ".bpmn");
    // the test process at least: an empty scan would prove nothing
    assertThat(bpmns).isNotEmpty();
    for (Path file : bpmns) {
      BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
      for (Process p : model.getModelElementsByType(Process.class)) {
        if (p.isExecutable() && p.getCamundaHistoryTimeToLiveString() == null) {
          missing.add(file + ": process " + p.getId());
        }
      }
    }
    assertThat(missing).as("processes without camunda:historyTimeToLive").isEmpty();
  }

  @Test
  void everyDeployedFormReferenceExists() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> formIds = new HashSet<>();
    for (Path form : files(FORM_DIRS, ".form")) {
      String id = json.readTree(form.toFile()).path("id").asText(null);
      assertThat(id).as(form + " has an id").isNotBlank();
      assertThat(formIds.add(id)).as(form + ": form id '" + id + "' is used twice").isTrue();
    }
    List<String> dangling = new ArrayList<>();
    for (Path file : files(PROCESS_DIRS, ".bpmn")) {
      for (UserTask t : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(UserTask.class)) {
        String ref = t.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "formRef");
        if (ref != null && !ref.contains("${") && !formIds.contains(ref)) {
          dangling.add(file + ": " + t.getId() + " -> " + ref);
        }
      }
    }
    assertThat(dangling).as("user tasks whose camunda:formRef names no form under forms/").isEmpty();
  }
}
