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
import org.camunda.bpm.engine.FormService;
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
 * {@value #USER}, {@code upgrade.rehearsal.autopilot-delay} after it was created, with the
 * default values of the task's Camunda Form (each field's {@code defaultValue} is the default
 * decision). Runs on its own scheduler thread, never on a job-executor thread, and polls for
 * tasks, so tasks created at any time are picked up. Off unless {@code upgrade.rehearsal.autopilot}
 * is true or {@link #setEnabled} switches it on (tests, {@code POST /rehearsal/autopilot}).
 */
@Component
@Profile("rehearsal")
public class Autopilot implements SmartLifecycle {
  public static final String USER = "autopilot";
  private static final Logger log = LoggerFactory.getLogger(Autopilot.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final TaskService tasks;
  private final FormService forms;
  private final IdentityService identity;
  private final ActionLog actions;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
  private final AtomicLong completed = new AtomicLong();
  private volatile boolean enabled;
  private volatile Duration delay;
  private ScheduledExecutorService scheduler;

  public Autopilot(TaskService tasks, FormService forms, IdentityService identity, ActionLog actions,
      RehearsalProperties properties) {
    this.tasks = tasks;
    this.forms = forms;
    this.identity = identity;
    this.actions = actions;
    this.enabled = properties.autopilot();
    this.delay = properties.autopilotDelay();
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

  private void poll() {
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
      Map<String, Object> values = defaults(t);
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
      Object site = t.getProcessInstanceId() == null ? null : safeSite(t);
      actions.record(site == null ? null : site.toString(), "autopilot", t.getTaskDefinitionKey(), "complete-task",
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

  /**
   * The autopilot's own answers, per form and field, for decisions a real operator sees without a
   * default: the rehearsal approves the plan, and checks again after a preflight problem (a fault
   * injected for a number of times passes).
   */
  static final Map<String, Map<String, Object>> ANSWERS = Map.of(
      "approve-plan", Map.of("planDecision", "approve"),
      "preflight-problems", Map.of("preflightDecision", "checkAgain"));

  /** The task form's default values and {@link #ANSWERS}, by field key; none when the task has no Camunda Form. */
  Map<String, Object> defaults(Task t) {
    if (t.getCamundaFormRef() == null) {
      return Map.of();
    }
    try (InputStream in = forms.getDeployedTaskForm(t.getId())) {
      Map<String, Object> values = defaults(json.readTree(in));
      values.putAll(ANSWERS.getOrDefault(t.getCamundaFormRef().getKey(), Map.of()));
      return values;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the form of task " + t.getId() + ": " + e.getMessage(), e);
    }
  }

  /** Every input field with a {@code defaultValue} (nested groups too); read-only fields are display only. */
  static Map<String, Object> defaults(JsonNode form) {
    Map<String, Object> values = new LinkedHashMap<>();
    collect(form.path("components"), values);
    return values;
  }

  private static void collect(JsonNode components, Map<String, Object> values) {
    for (JsonNode c : components) {
      collect(c.path("components"), values);
      if (!c.hasNonNull("key") || !c.has("defaultValue") || c.path("readonly").asBoolean(false)
          || c.path("disabled").asBoolean(false)) {
        continue;
      }
      JsonNode d = c.get("defaultValue");
      String key = c.get("key").asText();
      if (d.isBoolean()) {
        values.put(key, d.booleanValue());
      } else if (d.isIntegralNumber()) {
        values.put(key, d.longValue());
      } else if (d.isNumber()) {
        values.put(key, d.doubleValue());
      } else if (d.isArray()) {
        List<Object> items = new ArrayList<>();
        d.forEach(i -> items.add(i.isTextual() ? i.asText() : i.toString()));
        values.put(key, Variables.objectValue(items).serializationDataFormat(Variables.SerializationDataFormats.JSON).create());
      } else if (!d.isNull()) {
        values.put(key, d.asText());
      }
    }
  }
}
