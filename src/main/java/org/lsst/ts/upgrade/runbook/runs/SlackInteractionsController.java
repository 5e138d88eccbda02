package org.lsst.ts.upgrade.runbook.runs;

import com.google.gson.Gson;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.util.json.GsonFactory;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.chat.SlackRequests;
import org.lsst.ts.upgrade.runbook.notices.TaskMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack's interactivity endpoint: a click on a task's button in the channel ({@link TaskMessages})
 * completes the task as the orchestrator user the Slack user is mapped to, through the engine's
 * authorizations and the people policy, exactly as a completion in Tasklist would: an operator
 * completes an operator task; a manager, a Slack user not mapped, a camera-team member on an
 * operator task is told "not allowed" and nothing changes. Authenticated as the slash command is
 * ({@link SlackRequests}: signature, 5 minutes, each signature once). The answer is ephemeral (to
 * the person who clicked): in the response and through the payload's {@code response_url}.
 */
@RestController
class SlackInteractionsController {
  private static final Logger log = LoggerFactory.getLogger(SlackInteractionsController.class);
  private static final Gson GSON = GsonFactory.createSnakeCase();

  private final SlackRequests slack;
  private final TaskMessages messages;
  private final TaskService tasks;
  private final HistoryService history;
  private final IdentityService identity;
  private final Notifier notifier;
  /** One click at a time per task on this node: a double click completes once, the second is told so. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  SlackInteractionsController(SlackRequests slack, TaskMessages messages, TaskService tasks, HistoryService history,
      IdentityService identity, Notifier notifier) {
    this.slack = slack;
    this.messages = messages;
    this.tasks = tasks;
    this.history = history;
    this.identity = identity;
    this.notifier = notifier;
  }

  @PostMapping(path = "/slack/interactions", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> interaction(HttpServletRequest request) throws IOException {
    String body;
    try {
      body = slack.verifiedBody(request);
    } catch (SlackRequests.Refused e) {
      log.warn("Slack interaction refused: {}", e.getMessage());
      return ResponseEntity.status(e.status()).body(Map.of("error", e.getMessage()));
    }
    BlockActionPayload payload;
    try {
      payload = GSON.fromJson(formField(body, "payload"), BlockActionPayload.class);
    } catch (RuntimeException e) {
      return ResponseEntity.badRequest().body(Map.of("error", "not a Slack interaction payload: " + e.getMessage()));
    }
    if (payload == null || !"block_actions".equals(payload.getType()) || payload.getActions() == null
        || payload.getActions().isEmpty()) {
      // other interactions (shortcuts, views) are not ours: acknowledged, nothing done
      return ResponseEntity.ok(Map.of());
    }
    BlockActionPayload.Action action = payload.getActions().get(0);
    if (action.getActionId() == null || !action.getActionId().startsWith("choice:")) {
      // the "Open in Tasklist" link: Slack reports the click too
      return ResponseEntity.ok(Map.of());
    }
    String slackUser = payload.getUser() == null ? null : payload.getUser().getId();
    String channel = payload.getChannel() == null ? null : payload.getChannel().getId();
    String ts = payload.getContainer() == null ? null : payload.getContainer().getMessageTs();
    var pressed = TaskMessages.Pressed.of(action.getValue()).orElse(null);
    if (pressed == null) {
      return answer(payload, "This button is not one of the orchestrator's.");
    }
    String user = slack.userOf(slackUser).orElse(null);
    if (user == null) {
      log.warn("Slack user {} (not mapped) clicked on task {}: not allowed", slackUser, pressed.taskId());
      return answer(payload, "Not allowed: you (" + slackUser + ") are not mapped to an orchestrator user. "
          + "Ask an admin to add you under upgrade.slack.slash-command.users. Nothing was changed.");
    }
    synchronized (locks.computeIfAbsent(pressed.taskId(), k -> new Object())) {
      try {
        return decide(payload, pressed, user, new TaskMessages.SlackClick(slackUser, channel, ts));
      } finally {
        locks.remove(pressed.taskId());
      }
    }
  }

  private ResponseEntity<Map<String, Object>> decide(BlockActionPayload payload, TaskMessages.Pressed pressed,
      String user, TaskMessages.SlackClick click) {
    Task task = tasks.createTaskQuery().taskId(pressed.taskId()).initializeFormKeys().singleResult();
    if (task == null) {
      return answer(payload, alreadyDone(pressed.taskId()));
    }
    String formId = task.getCamundaFormRef() == null ? null : task.getCamundaFormRef().getKey();
    Map<String, Object> values = messages.valuesOf(formId, pressed.choiceId()).orElse(null);
    if (values == null) {
      return answer(payload, "'" + task.getName() + "' offers no such choice any more: decide in Tasklist. Nothing was changed.");
    }
    String label = messages.labelOf(formId, pressed.choiceId());
    List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
    // read before acting as the user, who may not be allowed to read them
    List<String> offered = tasks.getIdentityLinksForTask(task.getId()).stream()
        .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
        .map(l -> l.getGroupId()).toList();
    identity.setAuthentication(user, groups);
    try {
      TaskMessages.decidingInSlack(click, () -> {
        tasks.complete(task.getId(), new LinkedHashMap<>(values));
        return null;
      });
    } catch (AuthorizationException e) {
      log.warn("Slack user {} ({}) may not complete task {}: {}", click.slackUser(), user, task.getId(), e.getMessage());
      return answer(payload, "Not allowed: " + user + " may not complete '" + task.getName() + "' (it is for "
          + (offered.isEmpty() ? "other people" : String.join(" or ", offered)) + "). Nothing was changed.");
    } catch (ProcessEngineException e) {
      identity.clearAuthentication();
      if (tasks.createTaskQuery().taskId(task.getId()).count() == 0) {
        return answer(payload, alreadyDone(task.getId()));
      }
      log.warn("Task {} not completed from Slack by {}: {}", task.getId(), user, e.getMessage());
      return answer(payload, "Not completed: " + e.getMessage() + " Nothing was changed.");
    } finally {
      identity.clearAuthentication();
    }
    log.info("Task '{}' ({}) completed from Slack by {} (Slack {}, channel {}, message {}): {}", task.getName(),
        task.getId(), user, click.slackUser(), click.channel(), click.messageTs(), values.keySet());
    return answer(payload, "Done: *" + label + "* for '" + task.getName() + "', as " + user + ".");
  }

  /** Who completed the task, or that it was withdrawn. */
  private String alreadyDone(String taskId) {
    HistoricTaskInstance h = history.createHistoricTaskInstanceQuery().taskId(taskId).singleResult();
    if (h == null) {
      return "There is no such task (any more). Nothing was changed.";
    }
    if ("completed".equals(h.getDeleteReason())) {
      var entry = history.createUserOperationLogQuery().taskId(taskId).operationType("Complete").list().stream()
          .filter(e -> e.getUserId() != null).findFirst();
      return "'" + h.getName() + "' was already completed" + entry.map(e -> " by " + e.getUserId()).orElse("")
          + " at " + h.getEndTime().toInstant() + ". Nothing was changed.";
    }
    return "'" + h.getName() + "' was withdrawn (the run went on without it, or was cancelled). Nothing was changed.";
  }

  private ResponseEntity<Map<String, Object>> answer(BlockActionPayload payload, String text) {
    notifier.respond(payload.getResponseUrl(), text);
    return ResponseEntity.status(HttpStatus.OK)
        .body(Map.of("response_type", "ephemeral", "replace_original", false, "text", text));
  }

  private static String formField(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException("no '" + name + "' field");
  }
}
