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
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.lsst.ts.upgrade.security.Groups;
import org.junit.jupiter.api.Test;

/**
 * Static checks of every BPMN under {@code processes/} (and the test processes): each executable
 * process sets a history time to live, and each deployment-bound form reference names a form that
 * exists under {@code forms/}; in the runbook's processes every user task has a form and is offered
 * to a group that may work on it, and every service task that reaches out of the engine is
 * asynchronous with an explicit retry cycle (design conventions 6).
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

  /** Delegates that only compute from variables and the site file: no remote call, nothing to retry. */
  static final Set<String> LOCAL_DELEGATES = Set.of("${planFullUpgrade}", "${planIncrementalUpgrade}",
      "${minimalTestingPlan}", "${minimalTestingSummary}", "${planOsK8sRecovery}", "${planCscsOffline}",
      "${recordHandledByHand}", "${defaultAppLists}");

  @Test
  void everyRunbookUserTaskHasAFormAndAGroupThatMayWorkOnIt() throws IOException {
    List<String> wrong = new ArrayList<>();
    int tasks = 0;
    for (Path file : files(List.of(Path.of("processes")), ".bpmn")) {
      for (UserTask t : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(UserTask.class)) {
        tasks++;
        if (t.getCamundaFormRef() == null || !"deployment".equals(t.getCamundaFormRefBinding())) {
          wrong.add(file + ": " + t.getId() + " has no deployment-bound form");
        }
        String groups = t.getCamundaCandidateGroups();
        if (groups == null || !List.of(Groups.OPERATORS, Groups.CAMERA_TEAM).containsAll(List.of(groups.split("\\s*,\\s*")))) {
          wrong.add(file + ": " + t.getId() + " is offered to " + groups);
        }
      }
    }
    assertThat(tasks).isGreaterThan(10);
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyRemoteStepIsAsynchronousWithARetryCycle() throws IOException {
    List<String> wrong = new ArrayList<>();
    int remote = 0;
    for (Path file : files(List.of(Path.of("processes")), ".bpmn")) {
      for (ServiceTask t : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(ServiceTask.class)) {
        if (LOCAL_DELEGATES.contains(t.getCamundaDelegateExpression())) {
          continue;
        }
        remote++;
        boolean retries = t.getExtensionElements() != null && !t.getExtensionElements().getElementsQuery()
            .filterByType(CamundaFailedJobRetryTimeCycle.class).list().isEmpty();
        if (!t.isCamundaAsyncBefore() || !retries) {
          wrong.add(file + ": " + t.getId() + " (" + t.getCamundaDelegateExpression() + ") asyncBefore="
              + t.isCamundaAsyncBefore() + ", retry cycle=" + retries);
        }
      }
    }
    assertThat(remote).isGreaterThan(20);
    assertThat(wrong).isEmpty();
  }
}
