package org.lsst.ts.upgrade.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.repository.Resource;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The display-only fields of a user task's Camunda Form ({@code camunda:formRef}, binding
 * {@code deployment}): read-only or disabled fields show the operator context (the site, a URL)
 * and are submitted back unchanged, so they are no decision. Deployed resources never change, so
 * the answer is kept per process definition and task.
 */
@Component
class TaskForms {
  private static final Logger log = LoggerFactory.getLogger(TaskForms.class);

  private final RepositoryService repository;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Set<String>> displayOnly = new ConcurrentHashMap<>();

  TaskForms(RepositoryService repository) {
    this.repository = repository;
  }

  /** The keys of the read-only fields of the task's form; empty when it has none or it cannot be read. */
  Set<String> displayOnlyFields(String processDefinitionId, String taskDefinitionKey) {
    if (processDefinitionId == null || taskDefinitionKey == null) {
      return Set.of();
    }
    String cacheKey = processDefinitionId + "#" + taskDefinitionKey;
    Set<String> known = displayOnly.get(cacheKey);
    if (known != null) {
      return known;
    }
    try {
      Set<String> fields = read(processDefinitionId, taskDefinitionKey);
      displayOnly.put(cacheKey, fields);
      return fields;
    } catch (RuntimeException e) {
      // e.g. the caller may not read the deployment: the report keeps every variable of the task
      log.debug("Form of task {} in {} not read: {}", taskDefinitionKey, processDefinitionId, e.toString());
      return Set.of();
    }
  }

  private Set<String> read(String processDefinitionId, String taskDefinitionKey) {
    var element = repository.getBpmnModelInstance(processDefinitionId).getModelElementById(taskDefinitionKey);
    if (!(element instanceof UserTask task) || task.getCamundaFormRef() == null) {
      return Set.of();
    }
    ProcessDefinition definition = repository.getProcessDefinition(processDefinitionId);
    for (Resource r : repository.getDeploymentResources(definition.getDeploymentId())) {
      if (!r.getName().endsWith(".form")) {
        continue;
      }
      try (InputStream in = repository.getResourceAsStream(definition.getDeploymentId(), r.getName())) {
        JsonNode form = json.readTree(in);
        if (task.getCamundaFormRef().equals(form.path("id").asText())) {
          Set<String> fields = new HashSet<>();
          collect(form, fields);
          return Set.copyOf(fields);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return Set.of();
  }

  /** Components nest (groups, dynamic lists): every keyed component that is read-only or disabled. */
  private static void collect(JsonNode node, Set<String> fields) {
    for (JsonNode c : node.path("components")) {
      if (c.hasNonNull("key") && (c.path("readonly").asBoolean(false) || c.path("disabled").asBoolean(false))) {
        fields.add(c.get("key").asText());
      }
      collect(c, fields);
    }
  }
}
