package org.lsst.ts.upgrade.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The rehearsal's stand-in for the people: completes every open user task as user
 * {@value #USER}, {@code upgrade.rehearsal.autopilot-delay} after it was created, with the answers
 * of its own answer sheet ({@value #ANSWER_SHEET}: per form id and field key), overridden per
 * rehearsal through the control API ({@code POST /rehearsal/autopilot {"answers": {...}}}). Never
 * with the forms' defaults: a real operator's form pre-ticks no confirmation and defaults no
 * decision. Runs on its own scheduler thread, never on a job-executor thread; woken when a task is
 * created ({@link AutopilotWakeUp}), and polls for tasks, so tasks created at any time are picked
 * up. Off unless {@code upgrade.rehearsal.autopilot} is true or {@link #setEnabled} switches it on
 * (tests, {@code POST /rehearsal/autopilot}).
 */
@Component
@Profile("rehearsal")
public class Autopilot implements SmartLifecycle {
  public static final String USER = "autopilot";
  /** The classpath resource of the answer sheet. */
  public static final String ANSWER_SHEET = "rehearsal/autopilot-answers.json";
  private static final Logger log = LoggerFactory.getLogger(Autopilot.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final TaskService tasks;
  private final IdentityService identity;
  private final ActionLog actions;
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final AtomicLong completed = new AtomicLong();
  private final Map<String, Map<String, Object>> sheet;
  private final Map<String, Map<String, Object>> overrides = new ConcurrentHashMap<>();
  private final List<TaskAction> actionsAsPerformed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean enabled;
  private volatile Duration delay;
  private volatile boolean pollPaused;
  private ScheduledExecutorService scheduler;

  public Autopilot(TaskService tasks, IdentityService identity, ActionLog actions,
      RehearsalProperties properties) {
    this.tasks = tasks;
    this.identity = identity;
    this.actions = actions;
    this.enabled = properties.autopilot();
    this.delay = properties.autopilotDelay();
    this.sheet = answerSheet();
  }

  /**
   * What the autopilot does besides completing a task, as the people it stands in for would (the
   * camera team starting the camera services on the twin): run before the task is completed.
   */
  public interface TaskAction {
    /** True when it acts for tasks with this form id. */
    boolean handles(String formId);

    void perform(String site, String formId, Map<String, Object> answers);
  }

  public void addAction(TaskAction action) {
    actionsAsPerformed.add(action);
  }

  /** Takes an action back (a test's, once it has ended). */
  public void removeAction(TaskAction action) {
    actionsAsPerformed.remove(action);
  }

  /**
   * What the people do on the twin before they answer a task with this form (the camera team
   * starting the camera services), for a rehearsal whose tasks are answered elsewhere (from Slack).
   */
  public void actAsPeople(String site, String formId, Map<String, Object> answers) {
    for (TaskAction a : actionsAsPerformed) {
      if (formId != null && a.handles(formId)) {
        a.perform(site, formId, answers);
      }
    }
  }

  /** The answer sheet ({@value #ANSWER_SHEET}): per form id, the answer for each field. */
  public static Map<String, Map<String, Object>> answerSheet() {
    try (InputStream in = Autopilot.class.getClassLoader().getResourceAsStream(ANSWER_SHEET)) {
      if (in == null) {
        throw new IllegalStateException("no " + ANSWER_SHEET + " on the classpath");
      }
      return answerSheet(new ObjectMapper().readTree(in));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + ANSWER_SHEET + ": " + e.getMessage(), e);
    }
  }

  static Map<String, Map<String, Object>> answerSheet(JsonNode root) {
    Map<String, Map<String, Object>> forms = new LinkedHashMap<>();
    root.fields().forEachRemaining(f -> {
      if (f.getKey().startsWith("_")) {
        return;
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      f.getValue().fields().forEachRemaining(v -> fields.put(v.getKey(), value(v.getValue())));
      forms.put(f.getKey(), Map.copyOf(fields));
    });
    return Map.copyOf(forms);
  }

  /** The answers it gives now: the sheet with this rehearsal's overrides. */
  public Map<String, Map<String, Object>> answers() {
    Map<String, Map<String, Object>> all = new java.util.TreeMap<>();
    sheet.forEach((form, fields) -> all.put(form, new LinkedHashMap<>(fields)));
    overrides.forEach((form, fields) -> all.computeIfAbsent(form, k -> new LinkedHashMap<>()).putAll(fields));
    return all;
  }

  /** Overrides answers for this rehearsal (per form id and field key), until {@link #clearOverrides}. */
  public void override(Map<String, Map<String, Object>> answers) {
    answers.forEach((form, fields) -> overrides.computeIfAbsent(form, k -> new ConcurrentHashMap<>()).putAll(fields));
  }

  public void clearOverrides() {
    overrides.clear();
  }

  /** The answers for one form: the sheet's, then this rehearsal's overrides. */
  public Map<String, Object> answersFor(String formId) {
    Map<String, Object> values = new LinkedHashMap<>(sheet.getOrDefault(formId, Map.of()));
    values.putAll(overrides.getOrDefault(formId, Map.of()));
    return values;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean on) {
    enabled = on;
    log.info("Rehearsal autopilot {}", on ? "on (delay " + delay + ")" : "off");
  }

  public Duration delay() {
    return delay;
  }

  public void setDelay(Duration newDelay) {
    delay = newDelay;
  }

  /** How many tasks it has completed since startup. */
  public long completedCount() {
    return completed.get();
  }

  @Override
  public synchronized void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rehearsal-autopilot");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  /** After everything else (the engine is up before it polls). */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  /** Looks for new tasks now rather than at the next poll (a task was just created: {@link AutopilotWakeUp}). */
  public synchronized void wake() {
    if (enabled && scheduler != null) {
      scheduler.execute(this::look);
    }
  }

  /** Pauses the poll (tests: a task is then answered only because its creation woke the autopilot). */
  void pausePolling(boolean paused) {
    pollPaused = paused;
  }

  private void poll() {
    if (!pollPaused) {
      look();
    }
  }

  private void look() {
    try {
      if (!enabled) {
        return;
      }
      for (Task t : tasks.createTaskQuery().active().initializeFormKeys().list()) {
        if (!scheduled.add(t.getId())) {
          continue;
        }
        long wait = Math.max(0, Duration.between(Instant.now(), t.getCreateTime().toInstant().plus(delay)).toMillis());
        scheduler.schedule(() -> complete(t), wait, TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      // the engine may be shutting down or the database busy: try again at the next poll
      log.debug("Autopilot poll failed: {}", e.toString());
    }
  }

  private void complete(Task t) {
    try {
      if (!enabled || tasks.createTaskQuery().taskId(t.getId()).active().count() == 0) {
        scheduled.remove(t.getId());
        return;
      }
      String formId = t.getCamundaFormRef() == null ? null : t.getCamundaFormRef().getKey();
      Map<String, Object> values = formId == null ? new LinkedHashMap<>() : answersFor(formId);
      Object siteOfTask = t.getProcessInstanceId() == null ? null : safeSite(t);
      for (TaskAction a : actionsAsPerformed) {
        if (formId != null && a.handles(formId)) {
          a.perform(siteOfTask == null ? null : siteOfTask.toString(), formId, values);
        }
      }
      // assigned without an engine user, so the autopilot needs no grant of its own: the assignee
      // gets the task permission Camunda gives every assignee; then it completes as itself
      if (t.getAssignee() == null) {
        tasks.setAssignee(t.getId(), USER);
      }
      identity.setAuthenticatedUserId(USER);
      try {
        tasks.complete(t.getId(), values);
      } finally {
        identity.clearAuthentication();
      }
      completed.incrementAndGet();
      actions.record(siteOfTask == null ? null : siteOfTask.toString(), "autopilot", t.getTaskDefinitionKey(), "complete-task",
          Map.of("task", t.getName() == null ? t.getTaskDefinitionKey() : t.getName(),
              "processInstanceId", t.getProcessInstanceId(), "values", values.keySet().toString()));
      log.info("Autopilot completed task '{}' ({}) with {}", t.getName(), t.getTaskDefinitionKey(), values.keySet());
    } catch (RuntimeException e) {
      // completed by someone else, or the process moved on: nothing to do. Otherwise it is retried.
      boolean stillOpen = false;
      try {
        stillOpen = tasks.createTaskQuery().taskId(t.getId()).active().count() > 0;
      } catch (RuntimeException ignored) {
        // engine unavailable: retried below
        stillOpen = true;
      }
      if (stillOpen) {
        log.warn("Autopilot could not complete task '{}' ({}): {}; retrying", t.getName(), t.getId(), e.toString());
        scheduler.schedule(() -> complete(t), 1, TimeUnit.SECONDS);
      } else {
        scheduled.remove(t.getId());
      }
    }
  }

  private Object safeSite(Task t) {
    try {
      return tasks.getVariable(t.getId(), "site");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Object value(JsonNode d) {
    if (d.isBoolean()) {
      return d.booleanValue();
    } else if (d.isIntegralNumber()) {
      return d.longValue();
    } else if (d.isNumber()) {
      return d.doubleValue();
    } else if (d.isArray()) {
      List<Object> items = new ArrayList<>();
      d.forEach(i -> items.add(i.isTextual() ? i.asText() : i.toString()));
      return Variables.objectValue(items).serializationDataFormat(Variables.SerializationDataFormats.JSON).create();
    }
    return d.isNull() ? null : d.asText();
  }
}
