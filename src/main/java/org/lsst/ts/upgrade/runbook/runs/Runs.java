package org.lsst.ts.upgrade.runbook.runs;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.runs.RunProcesses.*;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.lsst.ts.upgrade.runbook.engine.RunDoor;
import org.lsst.ts.upgrade.security.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.variable.Variables;
import org.lsst.ts.upgrade.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Starts runs and reports on them. A run is a root process instance of one of
 * {@link RunProcesses#ALL}; its business key is the run id. One active run per site: the person
 * running a deployment has absolute control over the site.
 */
@Service
public class Runs {
  private static final Logger log = LoggerFactory.getLogger(Runs.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private final RuntimeService runtime;
  private final HistoryService history;
  private final TaskService tasks;
  private final IdentityService identity;
  private final RunInputValidator validator;
  private final RepositoryService repository;
  private final AuthorizationService authorization;
  private final ProcessEngineConfiguration authorizations;
  private final CommandExecutor commands;
  private final Clock clock;

  Runs(RuntimeService runtime, HistoryService history, TaskService tasks, IdentityService identity,
      AuthorizationService authorization, ProcessEngine engine, RunInputValidator validator) {
    this.authorization = authorization;
    this.authorizations = engine.getProcessEngineConfiguration();
    this.commands = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired();
    this.repository = engine.getRepositoryService();
    this.runtime = runtime;
    this.history = history;
    this.tasks = tasks;
    this.identity = identity;
    this.validator = validator;
    this.clock = Clock.systemUTC();
  }

  /** The created run. */
  public record Started(String runId, String processInstanceId) {}

  /**
   * Validates the body and starts the run for {@code user} (null: the current engine
   * authentication, if any): checks that they may start runs ({@link #STARTERS}), then starts it as
   * the orchestrator through {@link RunDoor}, with {@code user} as the start user and
   * {@code startedBy}. Throws {@link RunInputException} (400), 403 when the user may not start runs,
   * 409 when the site has an active run.
   */
  public Started start(Map<String, Object> body, String user) {
    RunRequest r = validator.validate(body);
    checkMayStart(r.process(), user);
    // one JVM: the check-then-start is serialized so two simultaneous starts cannot both pass
    synchronized (this) {
      Authentication caller = identity.getCurrentAuthentication();
      identity.clearAuthentication();
      String runId;
      try {
        if (repository.createProcessDefinitionQuery().processDefinitionKey(r.process()).latestVersion().count() == 0) {
          throw new RunInputException(Map.of("process", "process '" + r.process()
              + "' is not deployed in this version of the orchestrator"));
        }
        activeRun(r.site()).ifPresent(active -> {
          throw new ApiException(HttpStatus.CONFLICT, "site '" + r.site() + "' already has an active run: "
              + active.getBusinessKey() + " (" + active.getProcessDefinitionKey() + ", started "
              + active.getStartTime().toInstant() + (active.getStartUserId() == null ? "" : " by " + active.getStartUserId())
              + "); only one run per site at a time");
        });
        runId = newRunId(r.site(), r.process());
      } finally {
        restore(caller);
      }
      String startedBy = user != null ? user : caller != null ? caller.getUserId() : null;
      Map<String, Object> vars = r.startVariables(runId, startedBy, Runs::jsonList);
      try {
        if (user != null) {
          identity.setAuthentication(user, groupsOf(user));
        }
        // as the orchestrator (people hold no CREATE_INSTANCE), recording who asked: the caller is
        // the authenticated user, so the instance's start user, and startedBy
        ProcessInstance pi = RunDoor.through(() -> commands.execute(context -> context.runWithoutAuthorization(
            () -> runtime.startProcessInstanceByKey(r.process(), runId, vars))));
        log.info("Run {} ({}) started on site {} by {}: process instance {}", runId, r.process(), r.site(),
            startedBy, pi.getId());
        return new Started(runId, pi.getId());
      } finally {
        restore(caller);
      }
    }
  }

  /** The groups whose members may start runs. */
  public static final List<String> STARTERS = List.of(Groups.OPERATORS, Groups.CAMUNDA_ADMIN);

  /**
   * The caller's right to start: a member of {@link #STARTERS}. Checked first, so a caller without
   * the right learns that (403) before being told about another run (409).
   */
  private void checkMayStart(String process, String user) {
    Authentication caller = identity.getCurrentAuthentication();
    String userId = user != null ? user : caller == null ? null : caller.getUserId();
    if (userId == null || !authorizations.isAuthorizationEnabled()) {
      return;
    }
    List<String> groups = user != null ? groupsOf(user) : caller.getGroupIds();
    if (groups == null || groups.stream().noneMatch(STARTERS::contains)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "user '" + userId + "' may not start " + process
          + " runs (operators may)");
    }
  }

  /** The run's status, or 404. */
  public RunStatus status(String runId) {
    return status(require(runId));
  }

  private RunStatus status(HistoricProcessInstance root) {
    String runId = root.getBusinessKey();
    List<HistoricProcessInstance> tree = tree(root);
    List<String> activeIds = new ArrayList<>();
    for (HistoricProcessInstance p : tree) {
      if (p.getEndTime() == null) {
        activeIds.add(p.getId());
      }
    }
    List<RunStatus.Incident> incidents = new ArrayList<>();
    List<RunStatus.Activity> activities = new ArrayList<>();
    List<RunStatus.OpenTask> open = new ArrayList<>();
    Map<String, String> keys = new HashMap<>();
    tree.forEach(p -> keys.put(p.getId(), p.getProcessDefinitionKey()));
    for (String id : activeIds) {
      // the root causes only: the copies the engine raises on each calling stage say nothing more
      runtime.createIncidentQuery().processInstanceId(id).list().stream()
          .filter(i -> i.getRootCauseIncidentId() == null || i.getId().equals(i.getRootCauseIncidentId()))
          .forEach(i -> incidents.add(new RunStatus.Incident(
          i.getId(), i.getIncidentType(), i.getActivityId(), i.getProcessInstanceId(), i.getIncidentMessage(),
          instant(i.getIncidentTimestamp()))));
      history.createHistoricActivityInstanceQuery().processInstanceId(id).unfinished()
          .orderByHistoricActivityInstanceStartTime().asc().list().stream()
          // the process's own scope and embedded sub-process containers say nothing an operator needs
          .filter(a -> !"processDefinition".equals(a.getActivityType()))
          .forEach(a -> activities.add(new RunStatus.Activity(a.getActivityId(), a.getActivityName(),
              a.getActivityType(), keys.get(id), id, instant(a.getStartTime()))));
    }
    if (!activeIds.isEmpty()) {
      tasks.createTaskQuery().processInstanceIdIn(activeIds.toArray(String[]::new)).orderByTaskCreateTime().asc()
          .list().forEach(t -> open.add(new RunStatus.OpenTask(t.getId(), t.getName(), t.getTaskDefinitionKey(),
              t.getAssignee(), tasks.getIdentityLinksForTask(t.getId()).stream()
                  .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null)
                  .map(l -> l.getGroupId()).toList(),
              t.getProcessInstanceId(), instant(t.getCreateTime()))));
    }
    Outcome outcome = outcome(root);
    return new RunStatus(runId, root.getProcessDefinitionKey(), root.getId(), site(root), outcome.state(),
        root.getStartUserId(), instant(root.getStartTime()), instant(root.getEndTime()), root.getEndActivityId(),
        incidents, activities, open, outcome.aborted());
  }

  /** A run's state ({@link #STATES}) and, when an operator aborted it, who, where and why. */
  public record Outcome(String state, RunStatus.Aborted aborted) {}

  public Outcome outcome(HistoricProcessInstance root) {
    Map<String, Object> vars = new HashMap<>();
    history.createHistoricVariableInstanceQuery().processInstanceId(root.getId())
        .variableNameIn(RunVariables.RUN_OUTCOME, RunVariables.ABORTED_BY, RunVariables.ABORT_STEP, RunVariables.ABORT_REASON)
        .list().forEach(v -> vars.put(v.getName(), v.getValue()));
    String state = state(root, (String) vars.get(RunVariables.RUN_OUTCOME));
    return new Outcome(state, "ABORTED".equals(state) ? new RunStatus.Aborted((String) vars.get(RunVariables.ABORTED_BY),
        (String) vars.get(RunVariables.ABORT_STEP), (String) vars.get(RunVariables.ABORT_REASON)) : null);
  }

  /** Most runs one {@link #list} answers. */
  public static final int MAX_PAGE_SIZE = 100;
  /** The last page {@link #list} answers (page × size must stay a valid offset). */
  public static final int MAX_PAGE = 100_000;
  /** The states {@link #list} filters by, as {@link #state} names them. */
  public static final List<String> STATES = List.of("ACTIVE", "COMPLETED", "ABORTED", "CANCELLED");

  /**
   * One page of runs, running and finished, newest first. {@code site} and {@code state} (one of
   * {@link #STATES}) filter, null for all; {@code size} is 1 to {@link #MAX_PAGE_SIZE}. The
   * engine's authorizations apply: a caller without READ_HISTORY sees no runs.
   */
  public List<RunStatus> list(String site, String state, int page, int size) {
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "size must be 1 to " + MAX_PAGE_SIZE + ", not " + size);
    }
    if (page < 0 || page > MAX_PAGE) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "page must be 0 to " + MAX_PAGE + ", not " + page);
    }
    var q = history.createHistoricProcessInstanceQuery().rootProcessInstances()
        .processDefinitionKeyIn(ALL.toArray(String[]::new)).orderByProcessInstanceStartTime().desc();
    if (site != null) {
      q = q.variableValueEquals(RunVariables.SITE, site);
    }
    if (state != null) {
      q = switch (state) {
        case "ACTIVE" -> q.unfinished();
        // no runbook process has a terminate end event (the only internal termination of a root instance);
        // the engine keeps the outcome on the run (AbortRecorder): runs of versions before it kept none
        case "COMPLETED" -> q.completed().variableValueEquals(RunVariables.RUN_OUTCOME, "COMPLETED");
        case "ABORTED" -> q.completed().variableValueEquals(RunVariables.RUN_OUTCOME, "ABORTED");
        case "CANCELLED" -> q.externallyTerminated();
        default -> throw new ApiException(HttpStatus.BAD_REQUEST, "state must be one of " + STATES + ", not '" + state + "'");
      };
    }
    return q.listPage(page * size, size).stream().map(this::status).toList();
  }

  /** The run's root process instance (history), or 404 with a JSON body. */
  public HistoricProcessInstance require(String runId) {
    return findRun(runId).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "no run '" + runId + "'"));
  }

  /** The run's root process instance and every process it called, directly or not, root first. */
  public List<HistoricProcessInstance> tree(HistoricProcessInstance root) {
    Map<String, HistoricProcessInstance> byId = new java.util.LinkedHashMap<>();
    byId.put(root.getId(), root);
    history.createHistoricProcessInstanceQuery().rootProcessInstanceId(root.getId()).list()
        .forEach(p -> byId.put(p.getId(), p));
    return List.copyOf(byId.values());
  }

  /** The run's site (its start variable), null if the history does not have it. */
  public String site(HistoricProcessInstance root) {
    return Optional.ofNullable(history.createHistoricVariableInstanceQuery().processInstanceId(root.getId())
        .variableName(RunVariables.SITE).singleResult()).map(v -> (String) v.getValue()).orElse(null);
  }

  private Optional<HistoricProcessInstance> findRun(String runId) {
    return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(runId).rootProcessInstances()
        .processDefinitionKeyIn(ALL.toArray(String[]::new)).list().stream().findFirst();
  }

  /** The id of the run in progress at the site, if any. */
  public Optional<String> activeRunId(String site) {
    return activeRun(site).map(HistoricProcessInstance::getBusinessKey);
  }

  private Optional<HistoricProcessInstance> activeRun(String site) {
    return history.createHistoricProcessInstanceQuery().rootProcessInstances().unfinished()
        .processDefinitionKeyIn(ALL.toArray(String[]::new)).variableValueEquals(RunVariables.SITE, site)
        .orderByProcessInstanceStartTime().asc().list().stream().findFirst();
  }

  /** {@code <site>-<process>-<yyyyMMdd-HHmm>}, with {@code -2}, {@code -3}... for more starts in that minute. */
  private String newRunId(String site, String process) {
    String base = site + "-" + process + "-" + STAMP.format(clock.instant());
    String id = base;
    for (int n = 2; history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).count() > 0; n++) {
      id = base + "-" + n;
    }
    return id;
  }

  /**
   * ACTIVE (suspended too), COMPLETED, ABORTED (an operator's abort: the outcome the engine kept on
   * the run, {@link RunVariables#RUN_OUTCOME}) or CANCELLED (deleted from Cockpit or the API).
   */
  public static String state(HistoricProcessInstance p, String outcome) {
    return switch (p.getState()) {
      case HistoricProcessInstance.STATE_ACTIVE, HistoricProcessInstance.STATE_SUSPENDED -> "ACTIVE";
      case HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED -> "CANCELLED";
      default -> "ABORTED".equals(outcome) ? "ABORTED" : "COMPLETED";
    };
  }

  private List<String> groupsOf(String user) {
    return identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
  }

  private void restore(Authentication caller) {
    if (caller == null) {
      identity.clearAuthentication();
    } else {
      identity.setAuthentication(caller);
    }
  }

  private static Object jsonList(List<String> list) {
    return list == null ? null
        : Variables.objectValue(new ArrayList<>(list)).serializationDataFormat(Variables.SerializationDataFormats.JSON).create();
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
