package org.lsst.ts.upgrade.runbook.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractAddIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractPatchVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractSetExternalTaskRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractSetJobsRetriesBatchCmd;
import org.camunda.bpm.engine.impl.cmd.AddCommentCmd;
import org.camunda.bpm.engine.impl.cmd.AddGroupIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.AddUserIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.AssignTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CreateAttachmentCmd;
import org.camunda.bpm.engine.impl.cmd.DelegateTaskCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteAttachmentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteGroupIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteProcessInstanceCommentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteTaskCommentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteUserIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteUserInfoCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteUserPictureCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskEscalationCmd;
import org.camunda.bpm.engine.impl.cmd.PatchExecutionVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.PatchTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.RemoveExecutionVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.RemoveTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.ResolveTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SaveAttachmentCmd;
import org.camunda.bpm.engine.impl.cmd.SaveUserCmd;
import org.camunda.bpm.engine.impl.cmd.SetExecutionVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.SetExternalTaskRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskOwnerCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.SetUserInfoCmd;
import org.camunda.bpm.engine.impl.cmd.SetUserPictureCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.cmd.EvaluateStartConditionCmd;
import org.camunda.bpm.engine.impl.cmd.RestartProcessInstancesCmd;
import org.camunda.bpm.engine.impl.batch.RestartProcessInstancesBatchCmd;
import org.camunda.bpm.engine.impl.cmd.UpdateCommentCmd;
import org.camunda.bpm.engine.impl.cmd.UpdateExternalTaskRetriesBuilderImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobListener;
import org.camunda.bpm.engine.impl.jobexecutor.JobFailureCollector;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.security.Groups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person may do, beyond the engine's authorizations, whatever the door (engine REST API,
 * the webapps' own REST API, Slack): a command interceptor, so every route is covered. It acts only
 * when a person is authenticated; the orchestrator's own work (job executor, run API after its
 * checks, the rehearsal autopilot) runs without an authenticated user and is not concerned.
 *
 * <ul>
 *   <li>Nobody starts a process except through the run API ({@link RunDoor}).
 *   <li>A refused job execution has no effect: the engine would count the refusal as a failed
 *       attempt (retries down, an incident at 0); the failure is dropped instead.
 *   <li>Setting retries to 0 (an incident on a healthy job) is for administrators only.
 *   <li>A task claimed by someone is completed, unclaimed or reassigned by that person or an
 *       administrator only; nobody claims for someone else; candidates and owners are set by
 *       administrators only.
 *   <li>A task takes only the fields of its form, of simple types (no objects, JSON, XML, files):
 *       anything else is a 400 naming the fields, and nothing changes.
 *   <li>The run's inputs and audit variables ({@link #RUN_INPUTS}) never change after the start.
 *   <li>Comments and attachments are written by the groups that work on runs; edited or deleted
 *       by administrators only. Profiles (names, e-mail, picture, info) are set by administrators:
 *       nobody renames themselves "admin".
 * </ul>
 */
final class PeoplePolicy extends CommandInterceptor {
  private static final Logger log = LoggerFactory.getLogger(PeoplePolicy.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Set at the start by the run API and never by a person afterwards. */
  static final Set<String> RUN_INPUTS = Set.of(RunVariables.SITE, RunVariables.RUN_ID, RunVariables.CYCLE,
      RunVariables.REVISION, RunVariables.BREAKING_SCHEMA_CHANGE, RunVariables.PHALANX_REF,
      RunVariables.DOCKER_COMPOSE_OPS_BRANCH, RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH, RunVariables.STARTED_BY,
      RunVariables.STARTED_AT, RunVariables.CSCS, RunVariables.TELESCOPES,
      "newTopics" /* CheckNewTopics.NEW_TOPICS: runbook.incremental is not a dependency of the engine package */);

  /** Value types a form field can have. */
  static final Set<String> SIMPLE_TYPES = Set.of("null", "string", "boolean", "integer", "long", "short", "double",
      "date");

  /** The groups that work on runs (and so may comment on them). */
  static final Set<String> WORKERS = Set.of(Groups.CAMUNDA_ADMIN, Groups.OPERATORS, Groups.CAMERA_TEAM);

  private final ProcessEngineConfigurationImpl configuration;

  PeoplePolicy(ProcessEngineConfigurationImpl configuration) {
    this.configuration = configuration;
  }

  @Override
  public <T> T execute(Command<T> command) {
    Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
    if (caller == null || caller.getUserId() == null) {
      return next.execute(command);
    }
    if (command instanceof FailedJobListener failed && isRefusal(failed)) {
      return null;
    }
    if (isStart(command) && !RunDoor.isOpen()) {
      refuse(new Caller(caller), "may not start a process here: runs start through the run API "
          + "(POST /api/runs, or /upgrade in Slack), which checks them and starts them as the orchestrator");
    }
    check(command, new Caller(caller), Context.getCommandContext());
    return next.execute(command);
  }

  /** Every command that makes a new process instance. */
  static boolean isStart(Command<?> command) {
    return command instanceof StartProcessInstanceCmd || command instanceof StartProcessInstanceAtActivitiesCmd
        || command instanceof SubmitStartFormCmd || command instanceof EvaluateStartConditionCmd
        || command instanceof RestartProcessInstancesCmd || command instanceof RestartProcessInstancesBatchCmd;
  }

  record Caller(String id, List<String> groups) {
    Caller(Authentication a) {
      this(a.getUserId(), a.getGroupIds() == null ? List.of() : a.getGroupIds());
    }

    boolean admin() {
      return groups.contains(Groups.CAMUNDA_ADMIN);
    }

    boolean worker() {
      return groups.stream().anyMatch(WORKERS::contains);
    }
  }

  /** The engine refused to run the job for this person: nothing ran, so nothing failed. */
  private static boolean isRefusal(FailedJobListener listener) {
    JobFailureCollector collector = Fields.read(listener, "jobFailureCollector");
    for (Throwable t = collector == null ? null : collector.getFailure(); t != null;
        t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthorizationException refused) {
        log.warn("Job {} not executed: {} (retries untouched)", collector.getJobId(), refused.getMessage());
        return true;
      }
    }
    return false;
  }

  private void check(Command<?> command, Caller caller, CommandContext context) {
    // jobs
    if (command instanceof SetJobRetriesCmd) {
      retries(caller, Fields.read(command, "retries"));
    } else if (command instanceof AbstractSetJobsRetriesBatchCmd) {
      retries(caller, Fields.read(command, "retries"));
    } else if (command instanceof SetExternalTaskRetriesCmd) {
      retries(caller, Fields.read(command, "retries"));
    } else if (command instanceof AbstractSetExternalTaskRetriesCmd<?>) {
      UpdateExternalTaskRetriesBuilderImpl builder = Fields.read(command, "builder");
      retries(caller, Fields.read(builder, "retries"));
    }
    // task ownership and inputs
    else if (command instanceof ClaimTaskCmd) {
      String user = Fields.read(command, "userId");
      TaskEntity task = task(context, Fields.read(command, "taskId"));
      if (user != null && !user.equals(caller.id()) && !caller.admin()) {
        refuse(caller, "may not claim a task for '" + user + "': everyone claims for themselves");
      }
      if (user == null) {
        requireAssigneeOrAdmin(caller, task, "unclaim");
      }
    } else if (command instanceof AssignTaskCmd) {
      String user = Fields.read(command, "userId");
      TaskEntity task = task(context, Fields.read(command, "taskId"));
      if (!caller.admin() && task != null) {
        boolean claimsFree = caller.id().equals(user) && task.getAssignee() == null;
        boolean releasesOwn = user == null && caller.id().equals(task.getAssignee());
        if (!claimsFree && !releasesOwn) {
          refuse(caller, "may not assign task '" + task.getName() + "' (assigned to " + task.getAssignee()
              + ") to " + user + ": a claimed task is reassigned by its assignee or an administrator");
        }
      }
    } else if (command instanceof SetTaskOwnerCmd || command instanceof DelegateTaskCmd
        || command instanceof AddUserIdentityLinkCmd || command instanceof AddGroupIdentityLinkCmd
        || command instanceof DeleteUserIdentityLinkCmd || command instanceof DeleteGroupIdentityLinkCmd
        || command instanceof AbstractAddIdentityLinkCmd) {
      adminOnly(caller, "change who a task is offered to, delegated to or owned by");
    } else if (command instanceof CompleteTaskCmd) { // ResolveTaskCmd too
      TaskEntity task = task(context, Fields.read(command, "taskId"));
      requireAssigneeOrAdmin(caller, task, "complete");
      Map<String, Object> variables = Fields.read(command, "variables");
      taskInputs(context, task, variables == null ? List.of() : variables.keySet(), variables,
          !(command instanceof ResolveTaskCmd));
    } else if (command instanceof SubmitTaskFormCmd) {
      TaskEntity task = task(context, Fields.read(command, "taskId"));
      requireAssigneeOrAdmin(caller, task, "complete");
      Map<String, Object> variables = Fields.read(command, "properties");
      taskInputs(context, task, variables == null ? List.of() : variables.keySet(), variables, true);
    } else if (command instanceof HandleTaskBpmnErrorCmd || command instanceof HandleTaskEscalationCmd) {
      TaskEntity task = task(context, Fields.read(command, "taskId"));
      requireAssigneeOrAdmin(caller, task, "end");
      Map<String, Object> variables = Fields.read(command, "variables");
      taskInputs(context, task, variables == null ? List.of() : variables.keySet(), variables);
    } else if (command instanceof SetTaskVariablesCmd) {
      TaskEntity task = task(context, Fields.read(command, "entityId"));
      requireAssigneeOrAdmin(caller, task, "change variables of");
      Map<String, ?> variables = Fields.read(command, "variables");
      taskInputs(context, task, variables == null ? List.of() : variables.keySet(), variables);
    } else if (command instanceof PatchTaskVariablesCmd) {
      TaskEntity task = task(context, Fields.read(command, "entityId"));
      requireAssigneeOrAdmin(caller, task, "change variables of");
      Map<String, ?> variables = Fields.read(command, "variables");
      Collection<String> deletions = Fields.read(command, "deletions");
      taskInputs(context, task, variables == null ? List.of() : variables.keySet(), variables);
      taskInputs(context, task, deletions == null ? List.of() : deletions, Map.of());
    } else if (command instanceof RemoveTaskVariablesCmd) {
      TaskEntity task = task(context, Fields.read(command, "entityId"));
      requireAssigneeOrAdmin(caller, task, "change variables of");
      taskInputs(context, task, Fields.read(command, "variableNames"), Map.of());
    }
    // instance variables: never the run's inputs, never objects
    else if (command instanceof SetExecutionVariablesCmd || command instanceof PatchExecutionVariablesCmd) {
      Map<String, ?> variables = Fields.read(command, "variables");
      instanceInputs(variables == null ? List.of() : variables.keySet(), variables);
      if (command instanceof AbstractPatchVariablesCmd) {
        Collection<String> deletions = Fields.read(command, "deletions");
        instanceInputs(deletions == null ? List.of() : deletions, Map.of());
      }
    } else if (command instanceof RemoveExecutionVariablesCmd) {
      instanceInputs(Fields.read(command, "variableNames"), Map.of());
    }
    // comments, attachments, profiles
    else if (command instanceof AddCommentCmd || command instanceof CreateAttachmentCmd) {
      if (!caller.worker()) {
        refuse(caller, "may not comment or attach files: managers and users without a group change nothing");
      }
    } else if (command instanceof UpdateCommentCmd || command instanceof DeleteTaskCommentCmd
        || command instanceof DeleteProcessInstanceCommentCmd || command instanceof SaveAttachmentCmd
        || command instanceof DeleteAttachmentCmd) {
      adminOnly(caller, "edit or delete comments and attachments");
    } else if (command instanceof SaveUserCmd) {
      if (!caller.admin()) {
        User user = Fields.read(command, "user");
        User stored = context.runWithoutAuthorization(
            () -> configuration.getIdentityService().createUserQuery().userId(user.getId()).singleResult());
        if (stored == null || !Objects.equals(stored.getFirstName(), user.getFirstName())
            || !Objects.equals(stored.getLastName(), user.getLastName())
            || !Objects.equals(stored.getEmail(), user.getEmail())) {
          refuse(caller, "may not create users or change names or e-mail (an administrator does; a password may be changed)");
        }
      }
    } else if (command instanceof SetUserPictureCmd || command instanceof DeleteUserPictureCmd
        || command instanceof SetUserInfoCmd || command instanceof DeleteUserInfoCmd) {
      adminOnly(caller, "change a profile");
    }
  }

  private static void retries(Caller caller, int retries) {
    if (retries < 1 && !caller.admin()) {
      refuse(caller, "may not set retries to " + retries + ": that raises an incident on a healthy step "
          + "(retry failed steps with a positive number)");
    }
  }

  private static void adminOnly(Caller caller, String what) {
    if (!caller.admin()) {
      refuse(caller, "may not " + what + " (administrators only)");
    }
  }

  private static void requireAssigneeOrAdmin(Caller caller, TaskEntity task, String what) {
    if (task != null && task.getAssignee() != null && !task.getAssignee().equals(caller.id()) && !caller.admin()) {
      refuse(caller, "may not " + what + " task '" + task.getName() + "': it is claimed by " + task.getAssignee());
    }
  }

  private static TaskEntity task(CommandContext context, String taskId) {
    return taskId == null ? null : context.getTaskManager().findTaskById(taskId);
  }

  private static void refuse(Caller caller, String why) {
    throw new AuthorizationException("The user with id '" + caller.id() + "' " + why + ".");
  }

  /** Only the task form's fields, of simple types, and never a run input. */
  private void taskInputs(CommandContext context, TaskEntity task, Collection<String> names, Map<String, ?> values) {
    taskInputs(context, task, names, values, false);
  }

  /**
   * @param completes the REST API's complete and submit-form routes answer 500 to an engine
   *     exception other than a form validation; every other route answers 400 to a bad request
   */
  private void taskInputs(CommandContext context, TaskEntity task, Collection<String> names, Map<String, ?> values,
      boolean completes) {
    if (task == null || names.isEmpty()) {
      return;
    }
    Set<String> fields = formFields(context, task);
    Set<String> notOnForm = new TreeSet<>();
    for (String n : names) {
      // a read-only field (the run's site, say) comes back from Tasklist as it was shown: fine, unchanged
      boolean changesInput = RUN_INPUTS.contains(n)
          && !(values.containsKey(n) && Objects.equals(plain(values.get(n)), task.getVariable(n)));
      if (!fields.contains(n) || changesInput) {
        notOnForm.add(n);
      }
    }
    if (!notOnForm.isEmpty()) {
      throw refusal(completes, notOnForm, "Task '" + task.getName() + "' takes only the fields of its form "
          + new TreeSet<>(fields) + "; not " + notOnForm + ". Nothing was changed.");
    }
    Set<String> objects = objects(values);
    if (!objects.isEmpty()) {
      throw refusal(completes, objects, notSimple(objects));
    }
  }

  private static void instanceInputs(Collection<String> names, Map<String, ?> values) {
    Set<String> inputs = new TreeSet<>();
    for (String n : names) {
      if (RUN_INPUTS.contains(n)) {
        inputs.add(n);
      }
    }
    if (!inputs.isEmpty()) {
      throw new BadUserRequestException("The run's inputs and audit variables " + inputs
          + " never change after its start. Nothing was changed.");
    }
    Set<String> objects = objects(values);
    if (!objects.isEmpty()) {
      throw new BadUserRequestException(notSimple(objects));
    }
  }

  private static RuntimeException refusal(boolean completes, Set<String> names, String message) {
    return completes ? new TaskInputException(names, message) : new BadUserRequestException(message);
  }

  private static String notSimple(Set<String> names) {
    return "Variables " + names + " are not of a simple type (string, boolean, number, date): objects, JSON, XML "
        + "and files are not accepted from outside. Nothing was changed.";
  }

  /**
   * A 400 on every route that completes a task (the REST API answers 500 to other engine
   * exceptions there); {@link #getDetail()} holds the refused names.
   */
  static final class TaskInputException extends FormFieldValidationException {
    TaskInputException(Set<String> names, String message) {
      super(List.copyOf(names), message);
    }
  }

  private static Object plain(Object value) {
    return value instanceof TypedValue t ? t.getValue() : value;
  }

  private static Set<String> objects(Map<String, ?> values) {
    Set<String> objects = new TreeSet<>();
    values.forEach((name, v) -> {
      boolean simple = v instanceof TypedValue t
          ? t.getType() != null && SIMPLE_TYPES.contains(t.getType().getName())
          : v == null || v instanceof String || v instanceof Boolean || v instanceof Number || v instanceof Date;
      if (!simple) {
        objects.add(name);
      }
    });
    return objects;
  }

  /** The keys of the task's Camunda Form (none without a form). */
  private Set<String> formFields(CommandContext context, TaskEntity task) {
    try {
      InputStream form = context.runWithoutAuthorization(
          () -> configuration.getFormService().getDeployedTaskForm(task.getId()));
      Set<String> keys = new TreeSet<>();
      try (form) {
        collectKeys(JSON.readTree(form), keys);
      }
      return keys;
    } catch (RuntimeException | java.io.IOException e) {
      return Set.of(); // no deployed form: nothing to set
    }
  }

  private static void collectKeys(JsonNode node, Set<String> keys) {
    if (node.isObject()) {
      if (node.hasNonNull("key") && node.hasNonNull("type") && !"default".equals(node.path("type").asText())) {
        keys.add(node.path("key").asText());
      }
      if (node.hasNonNull("path") && node.has("components")) {
        keys.add(node.path("path").asText().split("\\.")[0]);
      }
      node.path("components").forEach(c -> collectKeys(c, keys));
    } else if (node.isArray()) {
      node.forEach(c -> collectKeys(c, keys));
    }
  }
}
