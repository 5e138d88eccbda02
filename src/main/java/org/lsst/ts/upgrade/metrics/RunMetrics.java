package org.lsst.ts.upgrade.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.task.Task;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The runs and the engine, for Prometheus ({@code /actuator/prometheus}, names prefixed
 * {@code upgrade_}). Runs started and ended are counted on the node that executed the start or the
 * end (Prometheus sums the nodes); everything else is read from the shared database when scraped,
 * so every node reports the same.
 */
@Component
class RunMetrics extends AbstractProcessEnginePlugin implements MeterBinder {
  static final String RUNS_STARTED = "upgrade.runs.started";
  static final String RUNS_ENDED = "upgrade.runs.ended";

  private final Supplier<ProcessEngine> engine;
  private final Clock clock = Clock.systemUTC();
  private volatile MeterRegistry registry;

  RunMetrics(ObjectProvider<ProcessEngine> engine) {
    this.engine = engine::getObject;
  }

  // ---------------------------------------------------------------- runs started and ended

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseProcess(Element processElement, ProcessDefinitionEntity definition) {
        if (RunProcesses.ALL.contains(definition.getKey())) {
          // built-in: counted even when Cockpit cancels with "skip custom listeners"
          definition.addBuiltInListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) RunMetrics.this::started);
          definition.addBuiltInListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) RunMetrics.this::ended);
        }
      }
    });
  }

  private void started(DelegateExecution execution) {
    MeterRegistry r = registry;
    if (r != null && isRun(execution)) {
      Counter.builder(RUNS_STARTED).description("Runs started, by process and site")
          .tag("process", processKey(execution)).tag("site", site(execution))
          .register(r).increment();
    }
  }

  private void ended(DelegateExecution execution) {
    MeterRegistry r = registry;
    if (r != null && isRun(execution)) {
      Counter.builder(RUNS_ENDED).description("Runs ended, by process, site and outcome")
          .tag("process", processKey(execution)).tag("site", site(execution))
          .tag("outcome", outcome(execution.isCanceled(),
              "ABORTED".equals(execution.getVariable(RunVariables.RUN_OUTCOME)), execution.getCurrentActivityId()))
          .register(r).increment();
    }
  }

  /**
   * How a run ended: {@code cancelled} (deleted from Cockpit or the API), {@code aborted} (an
   * operator's abort, as the engine recorded it on the run: AbortRecorder), {@code failed} (its end
   * event says a test, script or CSC failed), else {@code completed}.
   */
  static String outcome(boolean cancelled, boolean aborted, String endActivityId) {
    if (cancelled) {
      return "cancelled";
    }
    if (aborted) {
      return "aborted";
    }
    String id = endActivityId == null ? "" : endActivityId;
    if (id.contains("Failed") || id.contains("Faulted")) {
      return "failed";
    }
    return "completed";
  }

  /** A run is a root instance; the same processes called from another are not counted again. */
  private static boolean isRun(DelegateExecution execution) {
    return execution.getProcessInstance().getSuperExecution() == null;
  }

  private static String processKey(DelegateExecution execution) {
    String definitionId = execution.getProcessDefinitionId();
    return definitionId.substring(0, definitionId.indexOf(':'));
  }

  private static String site(DelegateExecution execution) {
    String site = RunVariables.of(execution).stringOr(RunVariables.SITE, null);
    return site == null ? "unknown" : site;
  }

  // ---------------------------------------------------------------- read when scraped

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("upgrade.incidents.open", () -> engine.get().getRuntimeService().createIncidentQuery().count())
        .description("Open incidents (failed steps waiting for a person), root causes and their parents")
        .register(registry);
    for (String group : Groups.ALL) {
      Gauge.builder("upgrade.user.tasks.open", () -> openTasks(group).count())
          .description("Open user tasks offered to the group, claimed or not")
          .tag("group", group)
          .register(registry);
      Gauge.builder("upgrade.user.tasks.oldest.age", () -> oldestTaskAgeSeconds(group))
          .description("Age of the oldest open user task offered to the group (0 when there is none)")
          .baseUnit("seconds")
          .tag("group", group)
          .register(registry);
    }
    Gauge.builder("upgrade.jobs.executable", () -> engine.get().getManagementService().createJobQuery().executable().count())
        .description("Jobs due now and not yet run (timers fired, continuations, retries): the job executor's backlog")
        .register(registry);
    Gauge.builder("upgrade.jobs.oldest.due.age", this::oldestDueJobAgeSeconds)
        .description("How long the oldest due job has waited for a job thread (0 when none waits): the job latency")
        .baseUnit("seconds")
        .register(registry);
  }

  private org.camunda.bpm.engine.task.TaskQuery openTasks(String group) {
    return engine.get().getTaskService().createTaskQuery().taskCandidateGroup(group).includeAssignedTasks();
  }

  private double oldestTaskAgeSeconds(String group) {
    List<Task> oldest = openTasks(group).orderByTaskCreateTime().asc().listPage(0, 1);
    return oldest.isEmpty() ? 0 : ageSeconds(oldest.get(0).getCreateTime());
  }

  private double oldestDueJobAgeSeconds() {
    // due since its due date (a timer, a retry) or, without one (a continuation), since it was created
    return engine.get().getManagementService().createJobQuery().executable().listPage(0, 200).stream()
        .map(j -> j.getDuedate() != null ? j.getDuedate() : j.getCreateTime())
        .filter(java.util.Objects::nonNull)
        .mapToDouble(d -> Math.max(0, ageSeconds(d)))
        .max().orElse(0);
  }

  private double ageSeconds(Date since) {
    return (clock.millis() - since.getTime()) / 1000.0;
  }
}
