package org.lsst.ts.upgrade.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.EntityTypes;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.variable.value.BytesValue;
import org.camunda.bpm.engine.variable.value.FileValue;
import org.camunda.bpm.engine.variable.value.SerializableValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Builds a {@link RunReport} from the engine's history. Runs are found as {@link Runs} finds them
 * (the business key is the run id), and every query runs as the caller: the engine's
 * authorizations decide what they may read (READ_HISTORY on the process definitions).
 */
@Service
public class RunReports {
  /** Variables named like this are never reported, whatever they hold (none should: see the design). */
  static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(password|passwd|secret|token|credential|api[-_]?key|private[-_]?key).*");

  private final Runs runs;
  private final HistoryService history;
  private final TaskForms forms;
  private final ObjectMapper json = new ObjectMapper();

  private final ObjectProvider<Notifier> notifier;

  RunReports(Runs runs, HistoryService history, TaskForms forms, ObjectProvider<Notifier> notifier) {
    this.runs = runs;
    this.history = history;
    this.forms = forms;
    this.notifier = notifier;
  }

  /** The report of the run, or an ApiException 404 when there is no such run (or the caller may not see it). */
  public RunReport report(String runId) {
    HistoricProcessInstance root = runs.require(runId);
    List<HistoricProcessInstance> tree = runs.tree(root);
    Map<String, String> keys = new HashMap<>();
    tree.forEach(p -> keys.put(p.getId(), p.getProcessDefinitionKey()));

    List<RunReport.Step> timeline = new ArrayList<>();
    List<RunReport.Incident> incidents = new ArrayList<>();
    for (HistoricProcessInstance p : tree) {
      history.createHistoricActivityInstanceQuery().processInstanceId(p.getId()).list().forEach(a -> timeline.add(
          new RunReport.Step(a.getActivityId(), a.getActivityName(), a.getActivityType(), keys.get(p.getId()),
              p.getId(), instant(a.getStartTime()), instant(a.getEndTime()), a.getDurationInMillis(), a.isCanceled())));
      // root causes only: the engine repeats each incident, without its message, on every calling stage
      history.createHistoricIncidentQuery().processInstanceId(p.getId()).list().stream()
          .filter(i -> i.getRootCauseIncidentId() == null || i.getId().equals(i.getRootCauseIncidentId()))
          .forEach(i -> incidents.add(
          new RunReport.Incident(i.getId(), i.getIncidentType(), i.getActivityId(), i.getProcessDefinitionKey(),
              i.getProcessInstanceId(), i.getIncidentMessage(), instant(i.getCreateTime()), instant(i.getEndTime()),
              i.isResolved(), i.isOpen() ? "open" : i.isResolved() ? "resolved" : "deleted")));
    }
    timeline.sort(Comparator.comparing(RunReport.Step::start, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(RunReport.Step::end, Comparator.nullsLast(Comparator.naturalOrder())));
    incidents.sort(Comparator.comparing(RunReport.Incident::created, Comparator.nullsLast(Comparator.naturalOrder())));

    Instant start = instant(root.getStartTime());
    Instant end = instant(root.getEndTime());
    Instant until = end != null ? end : ClockUtil.getCurrentTime().toInstant(); // the engine's clock, as start
    Long duration = start == null ? null : until.toEpochMilli() - start.toEpochMilli();
    Runs.Outcome outcome = runs.outcome(root);
    return new RunReport(root.getBusinessKey(), root.getProcessDefinitionKey(), root.getId(), runs.site(root),
        outcome.state(), root.getStartUserId(), start, end, duration, root.getEndActivityId(), outcome.aborted(),
        timeline, tasks(root, keys), incidents, failedScripts(root), lines(root, RunVariables.HOST_STEPS_BY_HAND),
        undeliveredNotices(root, tree));
  }

  /** Every script of the run that did not succeed (kept on the run by CheckScript), one line each. */
  private List<String> failedScripts(HistoricProcessInstance root) {
    var v = history.createHistoricVariableInstanceQuery().processInstanceId(root.getId())
        .variableName(org.lsst.ts.upgrade.runbook.RunVariables.SCRIPT_FAILURES).singleResult();
    return v == null || v.getValue() == null ? List.of()
        : java.util.Arrays.stream(v.getValue().toString().split("\n")).filter(l -> !l.isBlank()).toList();
  }

  /** A newline-separated text kept on the run (RecordHostStepByHand's), one entry a line. */
  private List<String> lines(HistoricProcessInstance root, String variable) {
    var v = history.createHistoricVariableInstanceQuery().processInstanceId(root.getId()).variableName(variable)
        .singleResult();
    return v == null || v.getValue() == null ? List.of()
        : java.util.Arrays.stream(v.getValue().toString().split("\n")).filter(l -> !l.isBlank()).toList();
  }

  private List<RunReport.UserTask> tasks(HistoricProcessInstance root, Map<String, String> keys) {
    List<HistoricTaskInstance> tasks = history.createHistoricTaskInstanceQuery().rootProcessInstanceId(root.getId())
        .orderByHistoricActivityInstanceStartTime().asc().list();
    if (tasks.isEmpty()) {
      return List.of();
    }
    String[] withTasks = tasks.stream().map(HistoricTaskInstance::getProcessInstanceId).distinct()
        .toArray(String[]::new);
    // who completed each task: the user operation log (written when the engine knew the user)
    Map<String, String> completedBy = new HashMap<>();
    for (String pid : withTasks) {
      history.createUserOperationLogQuery().processInstanceId(pid).entityType(EntityTypes.TASK)
          .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).list().stream()
          .filter(e -> e.getTaskId() != null && e.getUserId() != null)
          .forEach(e -> completedBy.put(e.getTaskId(), e.getUserId()));
    }
    List<RunReport.UserTask> out = new ArrayList<>();
    for (HistoricTaskInstance t : tasks) {
      // the variables set while a task was worked on carry its activity instance (or its id, when
      // task-local): read per task, not every poll loop's updates of the run
      List<HistoricDetail> updates = new ArrayList<>(history.createHistoricDetailQuery().taskId(t.getId())
          .variableUpdates().disableBinaryFetching().disableCustomObjectDeserialization()
          .orderPartiallyByOccurrence().asc().list());
      if (t.getActivityInstanceId() != null) {
        updates.addAll(history.createHistoricDetailQuery().activityInstanceId(t.getActivityInstanceId())
            .variableUpdates().disableBinaryFetching().disableCustomObjectDeserialization()
            .orderPartiallyByOccurrence().asc().list());
      }
      Set<String> displayOnly = forms.displayOnlyFields(t.getProcessDefinitionId(), t.getTaskDefinitionKey());
      Map<String, Object> decisions = new LinkedHashMap<>();
      for (HistoricDetail d : updates) {
        if (d instanceof HistoricVariableUpdate u && belongsTo(u, t) && reportable(u.getVariableName())
            && !displayOnly.contains(u.getVariableName())) {
          // the last value set wins (a form saved, then submitted)
          decisions.remove(u.getVariableName());
          decisions.put(u.getVariableName(), u.getErrorMessage() != null ? null : value(u.getTypedValue()));
        }
      }
      // the Slack origin of a decision is no decision: its own field
      Object slack = decisions.remove(RunVariables.SLACK_DECISION);
      String outcome = t.getEndTime() == null ? "open"
          : "completed".equals(t.getDeleteReason()) ? "completed" : "deleted";
      String by = "completed".equals(outcome) ? completedBy.getOrDefault(t.getId(), t.getAssignee()) : null;
      out.add(new RunReport.UserTask(t.getId(), t.getTaskDefinitionKey(), t.getName(),
          keys.getOrDefault(t.getProcessInstanceId(), t.getProcessDefinitionKey()), t.getProcessInstanceId(),
          t.getAssignee(), by, instant(t.getStartTime()), instant(t.getEndTime()), t.getDurationInMillis(), outcome,
          decisions, slack == null ? null : slack.toString()));
    }
    return out;
  }

  private static boolean belongsTo(HistoricVariableUpdate u, HistoricTaskInstance t) {
    return t.getId().equals(u.getTaskId())
        || (u.getTaskId() == null && t.getActivityInstanceId() != null
            && t.getActivityInstanceId().equals(u.getActivityInstanceId()));
  }

  static boolean reportable(String variableName) {
    return variableName != null && !SECRET_NAME.matcher(variableName).matches();
  }

  /**
   * Each notice of the run not delivered, once: the stages hold copies of the run's list (their
   * variables are passed in and out), and the notices kept for a retry say what became of them since
   * (delivered late: no longer listed; dropped, given up or still retried: said so).
   */
  private List<String> undeliveredNotices(HistoricProcessInstance root, List<HistoricProcessInstance> tree) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    history.createHistoricVariableInstanceQuery()
        .processInstanceIdIn(tree.stream().map(HistoricProcessInstance::getId).toArray(String[]::new))
        .variableName(RunVariables.UNDELIVERED_NOTICES).orderByCreationTime().asc().list().forEach(v -> {
          Object value = v.getValue();
          if (value instanceof Collection<?> c) {
            c.forEach(e -> out.add(String.valueOf(e)));
          } else if (value != null && !value.toString().isBlank()) {
            out.add(value.toString());
          }
        });
    Notifier n = notifier.getIfAvailable();
    if (n != null && root.getBusinessKey() != null) {
      for (Notifier.Undelivered k : n.keptNotices(root.getBusinessKey())) {
        if (k.label() == null) {
          continue;
        }
        String prefix = Notifier.listedPrefix(k.label(), k.firstAttempt());
        out.removeIf(e -> e.startsWith(prefix));
        if (k.listing() != null) {
          out.add(k.listing());
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** A variable's value as JSON: JSON objects as they were stored, Java objects and binaries by type only. */
  private Object value(TypedValue v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BytesValue || v instanceof FileValue) {
      return "<binary>";
    }
    // before getValue(): an object value that was not deserialized has none
    if (v instanceof SerializableValue s) {
      String serialized = s.getValueSerialized();
      if (serialized != null && s.getSerializationDataFormat() != null
          && s.getSerializationDataFormat().contains("json")) {
        try {
          return json.readTree(serialized);
        } catch (java.io.IOException e) {
          return serialized;
        }
      }
      return serialized == null && s.isDeserialized() ? String.valueOf(s.getValue()) : "<" + v.getType().getName() + ">";
    }
    Object value = v.getValue();
    return value instanceof Date d ? d.toInstant() : value;
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
