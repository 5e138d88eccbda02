package org.lsst.ts.upgrade.runbook.notices;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import jakarta.annotation.PreDestroy;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.lsst.ts.upgrade.runbook.engine.FailedJobIncidents;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.security.Groups;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Everything that needs a person reaches the site's Slack channel the moment it exists, where the
 * people are during an upgrade: a new user task (what, which run, for whom, a Tasklist link) and a
 * new incident (which step failed, why, a Cockpit link). Posted once the engine's transaction has
 * committed (a rolled-back step posts nothing), on a thread of its own, never blocking the run: the
 * notifier retries in the background. Built-in listeners and an incident handler added next to the engine's own, so no
 * process needs to name them.
 */
@Component
@EnableConfigurationProperties(PeopleNeededNotices.Settings.class)
public class PeopleNeededNotices extends AbstractProcessEnginePlugin {
  private static final Logger log = LoggerFactory.getLogger(PeopleNeededNotices.class);

  /**
   * {@code upgrade.notices.*}.
   *
   * @param peopleNeeded post new tasks and incidents to the site's channel
   * @param webappUrl the webapps' URL as people open it (Tasklist and Cockpit links)
   */
  @ConfigurationProperties("upgrade.notices")
  public record Settings(@DefaultValue("true") boolean peopleNeeded,
      @DefaultValue("http://localhost:8080/camunda/app") String webappUrl) {
    public Settings {
      webappUrl = webappUrl.endsWith("/") ? webappUrl.substring(0, webappUrl.length() - 1) : webappUrl;
    }
  }

  /** The preflight's process key (runbook.preflight's PreflightIds.KEY; not imported: no package cycle). */
  static final String PREFLIGHT = "preflight";

  private final Supplier<Notifier> notifier;
  private final Settings settings;
  private final Sites sites;
  /**
   * Posts off the committing thread (a job thread, or the request completing a task): the first
   * attempt at Slack may take its whole timeout when Slack is down, and the run must not wait for it.
   */
  private final ExecutorService posting = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "people-needed-notices");
    t.setDaemon(true);
    return t;
  });

  private final TaskMessages messages;

  PeopleNeededNotices(ObjectProvider<Notifier> notifier, Settings settings, Sites sites, TaskMessages messages) {
    this.notifier = notifier::getIfAvailable;
    this.settings = settings;
    this.sites = sites;
    this.messages = messages;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    boolean post = settings.peopleNeeded();
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior b) {
          // a decision made in Slack is recorded with its task even when nothing is posted
          b.getTaskDefinition().addBuiltInTaskListener(TaskListener.EVENTNAME_COMPLETE, PeopleNeededNotices.this::taskCompleted);
          if (post) {
            b.getTaskDefinition().addBuiltInTaskListener(TaskListener.EVENTNAME_CREATE, PeopleNeededNotices.this::taskCreated);
            // the task's message says who decided what, or that it was withdrawn
            b.getTaskDefinition().addBuiltInTaskListener(TaskListener.EVENTNAME_DELETE, PeopleNeededNotices.this::taskDeleted);
          }
        }
      }
    });
    if (!post) {
      return;
    }
    // next to the engine's own failed-job handler, which still creates the incident
    FailedJobIncidents.onCreated(configuration, this::incidentCreated);
  }

  private void taskCreated(DelegateTask task) {
    String site = (String) task.getVariable(RunVariables.SITE);
    // the preflight's tasks go to the person who just started the run, and nothing may reach the
    // site before the plan is approved (the preflight acts on nothing but reads)
    if (site == null || task.getProcessDefinitionId().startsWith(PREFLIGHT + ":")) {
      return;
    }
    String run = task.getExecution().getProcessBusinessKey();
    List<String> groups = new ArrayList<>();
    for (IdentityLink l : task.getCandidates()) {
      if (IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getGroupId() != null) {
        groups.add(l.getGroupId());
      }
    }
    String text = ":bust_in_silhouette: " + (run == null ? "a run" : "run " + run) + " waits for "
        + (groups.isEmpty() ? "a person" : String.join(" or ", groups)) + ": *" + task.getName() + "*\n"
        + "Tasklist: " + settings.webappUrl() + "/tasklist/default/#/?task=" + task.getId();
    // the camera team's own tasks go to its channel, where the site file names one
    String channel = groups.equals(List.of(Groups.CAMERA_TEAM))
        ? sites.find(site).map(s -> s.slack() == null ? null : s.slack().cameraTeamChannel()).orElse(null) : null;
    afterCommit(site, messages.created(task, site, channel, run, groups, text));
  }

  private void taskCompleted(DelegateTask task) {
    var update = messages.completed(task);
    if (settings.peopleNeeded() && isSitesTask(task)) {
      afterCommit(null, update);
    }
  }

  private void taskDeleted(DelegateTask task) {
    if (isSitesTask(task)) {
      afterCommit(null, messages.withdrawn(task));
    }
  }

  /** A task that got a message: one of a run at a site, not the preflight's. */
  private static boolean isSitesTask(DelegateTask task) {
    try {
      return task.getVariable(RunVariables.SITE) != null && !task.getProcessDefinitionId().startsWith(PREFLIGHT + ":");
    } catch (RuntimeException e) {
      // the scope is going away (a cancelled run): its message, if any, stays as it was
      return false;
    }
  }

  private void incidentCreated(IncidentContext context, String message) {
    if (context.getExecutionId() == null || Context.getCommandContext() == null) {
      return;
    }
    ExecutionEntity execution = Context.getCommandContext().getExecutionManager().findExecutionById(context.getExecutionId());
    if (execution == null) {
      return;
    }
    Object site = execution.getVariable(RunVariables.SITE);
    if (!(site instanceof String s)) {
      return;
    }
    String run = execution.getProcessBusinessKey();
    String step = execution.getActivity() == null || execution.getActivity().getName() == null
        ? context.getActivityId() : execution.getActivity().getName();
    String text = ":rotating_light: " + (run == null ? "a run" : "run " + run) + ": step *" + step
        + "* failed after its retries and waits for a person: " + (message == null ? "(no message)" : message)
        + "\nRetry it in Cockpit once the cause is fixed: " + settings.webappUrl() + "/cockpit/default/#/process-instance/"
        + execution.getProcessInstanceId() + "/runtime";
    // the run, but no label: not one of the run's notices (its summary lists those), yet dropped when
    // Slack comes back after the run has ended (nothing left to do about it). A failure the whole
    // channel sees (reply_broadcast), not only those who follow the run's thread
    afterCommit(s, n -> n.post(s, null, text, run, null, false, true));
  }

  /**
   * Runs the Slack work once the transaction has committed, on the posting thread: one thread, so
   * a task's message is posted before it is updated.
   */
  private void afterCommit(String site, java.util.function.Consumer<Notifier> work) {
    var commandContext = Context.getCommandContext();
    Runnable post = () -> {
      Notifier n = notifier.get();
      if (n == null) {
        return;
      }
      try {
        work.accept(n);
      } catch (RuntimeException e) {
        log.warn("could not post to {}'s channel: {}", site == null ? "a site" : site, e.toString());
      }
    };
    if (commandContext == null) {
      posting.execute(post);
    } else {
      commandContext.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, c -> posting.execute(post));
    }
  }

  @PreDestroy
  void stop() {
    posting.shutdownNow();
  }
}
