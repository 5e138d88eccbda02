package org.lsst.ts.upgrade.runbook.notices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A user task as a Slack message a person can act on (Block Kit): the run, the step, the start of
 * its form, and a button per choice where the form's decision is small ({@link FormChoices}),
 * always with a link to the task in Tasklist. When the task is completed (from Slack, Tasklist or
 * the REST API) or withdrawn, the message is replaced by who decided what, and when; its buttons go.
 * A button's value is {@code <task id>:<choice id>}: the values it sets are read from the form
 * again when it is clicked, never from the click.
 */
@Component
public class TaskMessages {
  private static final Logger log = LoggerFactory.getLogger(TaskMessages.class);
  static final String CHOICE_ACTION = "choice:";
  static final String TASKLIST_ACTION = "tasklist";
  private static final int MAX_INTRO = 600;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final ThreadLocal<SlackClick> CLICK = new ThreadLocal<>();

  /** Who clicked in Slack, where: kept with the completion it caused. */
  public record SlackClick(String slackUser, String channel, String messageTs) {}

  /** A button's task and choice, from its value. */
  public record Pressed(String taskId, String choiceId) {
    public static Optional<Pressed> of(String value) {
      int colon = value == null ? -1 : value.lastIndexOf(':');
      return colon <= 0 || colon == value.length() - 1 ? Optional.empty()
          : Optional.of(new Pressed(value.substring(0, colon), value.substring(colon + 1)));
    }
  }

  private final FormChoices forms = new FormChoices();
  private final TaskMessageStore store;
  private final PeopleNeededNotices.Settings settings;
  private final ObjectProvider<TaskService> tasks;
  private final ObjectMapper json = new ObjectMapper();

  TaskMessages(TaskMessageStore store, PeopleNeededNotices.Settings settings, ObjectProvider<TaskService> tasks) {
    this.store = store;
    this.settings = settings;
    this.tasks = tasks;
  }

  /**
   * Runs a task completion as a decision made in Slack: the completion keeps who clicked where
   * ({@link RunVariables#SLACK_DECISION}, task-local, in the history with the task).
   */
  public static <T> T decidingInSlack(SlackClick click, Supplier<T> completion) {
    CLICK.set(click);
    try {
      return completion.get();
    } finally {
      CLICK.remove();
    }
  }

  /** The variables a choice of the task's form sets; empty when the form offers no such choice. */
  public Optional<Map<String, Object>> valuesOf(String formId, String choiceId) {
    return forms.of(formId).flatMap(s -> s.choice(choiceId)).map(FormChoices.Choice::values);
  }

  /** What a choice is called on its button, for answers ("Retry"). */
  public String labelOf(String formId, String choiceId) {
    return forms.of(formId).flatMap(s -> s.choice(choiceId)).map(FormChoices.Choice::label).orElse(choiceId);
  }

  /** Called in the task's create listener: what to post once the transaction has committed. */
  Consumer<Notifier> created(DelegateTask task, String site, String channel, String run, List<String> groups,
      String fallbackText) {
    String formId = formId(task);
    Map<String, Object> values = new LinkedHashMap<>();
    FormChoices.Shape shape = forms.of(formId).orElse(null);
    if (shape != null) {
      for (String name : FormChoices.placeholders(shape.intro())) {
        Object v = task.getVariable(name);
        values.put(name, v == null ? "" : v);
      }
    }
    String section = section(run, groups, task.getName(), shape, values);
    String taskId = task.getId();
    String blocks = toJson(open(taskId, section, shape));
    return notifier -> {
      // a reply in the run's thread: a task is for its candidates, not news for the whole channel
      Optional<Notifier.Posted> posted = notifier.postBlocks(site, channel, fallbackText, blocks, run);
      if (posted.isPresent()) {
        try {
          store.save(taskId, new TaskMessageStore.Entry(site, posted.get(), section));
        } catch (RuntimeException e) {
          log.warn("Slack message of task {} posted but not recorded (it will not be updated): {}", taskId, e.toString());
        }
      } else {
        // no message with buttons: the plain notice, kept and retried as every notice (dropped if
        // Slack only comes back after the run has ended)
        notifier.post(site, channel, fallbackText, run, null, false);
      }
    };
  }

  /** Called in the task's complete listener: records a Slack decision; what to update after the commit. */
  Consumer<Notifier> completed(DelegateTask task) {
    String who = Optional.ofNullable(Context.getCommandContext() == null ? null
        : Context.getCommandContext().getAuthenticatedUserId()).orElse(task.getAssignee());
    SlackClick click = CLICK.get();
    if (click != null) {
      task.setVariableLocal(RunVariables.SLACK_DECISION, "decided in Slack by " + who + " (Slack user "
          + click.slackUser() + ", channel " + click.channel() + ", " + (click.messageTs() == null
          ? "from an /upgrade tasks list" : "message ts " + click.messageTs()) + ")");
    }
    FormChoices.Shape shape = forms.of(formId(task)).orElse(null);
    String what = decision(task, shape);
    String line = ":white_check_mark: " + (what.isEmpty() ? "Completed" : "*" + what + "*") + " — "
        + (who == null ? "by the orchestrator" : "by *" + who + "*") + (click == null ? "" : " in Slack")
        + ", " + WHEN.format(Instant.now());
    return finished(task.getId(), line);
  }

  /** Called in the task's delete listener (its scope ended without it, or the run was cancelled). */
  Consumer<Notifier> withdrawn(DelegateTask task) {
    return finished(task.getId(), ":heavy_multiplication_x: Withdrawn " + WHEN.format(Instant.now())
        + ": the run went on without it, or was cancelled. Nothing to do here any more.");
  }

  private Consumer<Notifier> finished(String taskId, String line) {
    return notifier -> store.find(taskId).ifPresent(e -> {
      // the block id still names the task: what a message is about stays findable
      List<Map<String, Object>> blocks = List.of(sectionBlock(e.section()), Map.of("type", "context",
          "block_id", "task:" + taskId, "elements", List.of(Map.of("type", "mrkdwn", "text", line))));
      if (notifier.update(e.site(), e.message(), line, toJson(blocks))) {
        store.remove(taskId);
      }
    });
  }

  /**
   * The blocks of an open task, as its message shows them (for {@code /upgrade tasks}); empty when
   * the task is not open any more.
   */
  public List<Map<String, Object>> blocksOfOpenTask(String taskId, String run) {
    TaskService service = tasks.getObject();
    Task t = service.createTaskQuery().taskId(taskId).initializeFormKeys().singleResult();
    if (t == null) {
      return List.of();
    }
    String formId = t.getCamundaFormRef() == null ? null : t.getCamundaFormRef().getKey();
    FormChoices.Shape shape = forms.of(formId).orElse(null);
    Map<String, Object> values = new LinkedHashMap<>();
    if (shape != null) {
      for (String name : FormChoices.placeholders(shape.intro())) {
        Object v = service.getVariable(taskId, name);
        values.put(name, v == null ? "" : v);
      }
    }
    List<String> groups = service.getIdentityLinksForTask(taskId).stream()
        .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
        .map(l -> l.getGroupId()).toList();
    return open(taskId, section(run, groups, t.getName(), shape, values), shape);
  }

  private String section(String run, List<String> groups, String name, FormChoices.Shape shape,
      Map<String, Object> values) {
    String head = ":bust_in_silhouette: " + (run == null ? "A run" : "Run `" + run + "`") + " waits for "
        + (groups.isEmpty() ? "a person" : String.join(" or ", groups)) + ": *" + name + "*";
    String intro = shape == null ? "" : FormChoices.mrkdwn(shape.intro(), values, MAX_INTRO);
    return intro.isEmpty() ? head : head + "\n" + intro;
  }

  private List<Map<String, Object>> open(String taskId, String section, FormChoices.Shape shape) {
    List<Object> elements = new ArrayList<>();
    if (shape != null) {
      for (FormChoices.Choice c : shape.choices()) {
        Map<String, Object> button = new LinkedHashMap<>();
        button.put("type", "button");
        button.put("action_id", CHOICE_ACTION + c.id());
        button.put("text", Map.of("type", "plain_text", "text", c.label()));
        button.put("value", taskId + ":" + c.id());
        if (c.id().equals("yes")) {
          button.put("style", "primary");
        }
        elements.add(button);
      }
    }
    elements.add(Map.of("type", "button", "action_id", TASKLIST_ACTION,
        "text", Map.of("type", "plain_text", "text", "Open in Tasklist"),
        "url", settings.webappUrl() + "/tasklist/default/#/?task=" + taskId));
    return List.of(sectionBlock(section), Map.of("type", "actions", "block_id", "task:" + taskId, "elements", elements));
  }

  private static Map<String, Object> sectionBlock(String text) {
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text",
        text.length() <= 3000 ? text : text.substring(0, 2999) + "…"));
  }

  /** What the completion decided: the matching button's label, else the fields a person filled. */
  private static String decision(DelegateTask task, FormChoices.Shape shape) {
    if (shape == null) {
      return "";
    }
    for (FormChoices.Choice c : shape.choices()) {
      if (c.values().entrySet().stream().allMatch(e -> Objects.equals(e.getValue(), task.getVariable(e.getKey())))) {
        return c.label();
      }
    }
    List<String> parts = new ArrayList<>();
    shape.fields().forEach((key, label) -> {
      Object v = task.getVariable(key);
      if (v != null && !v.toString().isBlank()) {
        String s = v.toString();
        parts.add(label + ": " + (s.length() > 100 ? s.substring(0, 99) + "…" : s));
      }
    });
    return String.join("; ", parts);
  }

  private static String formId(DelegateTask task) {
    try {
      UserTask u = task.getBpmnModelElementInstance();
      return u == null ? null : u.getCamundaFormRef();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private String toJson(Object blocks) {
    try {
      return json.writeValueAsString(blocks);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
