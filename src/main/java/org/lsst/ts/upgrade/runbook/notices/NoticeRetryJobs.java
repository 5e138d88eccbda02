package org.lsst.ts.upgrade.runbook.notices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.jobexecutor.JobHandler;
import org.camunda.bpm.engine.impl.jobexecutor.JobHandlerConfiguration;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.MessageEntity;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.lsst.ts.upgrade.chat.NoticePending;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.chat.SlackProperties;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Retries the Slack notices that could not be posted, as an engine job per site (handler type
 * {@value #TYPE}, configuration: the site). Why a job of the engine and not a timer of this node:
 * the job is a row of {@code ACT_RU_JOB} in the shared database, so it survives a restart and is
 * run by whichever node's job executor acquires it first; it belongs to no process instance, so a
 * run that ends (or is cancelled) does not take its notices' retry with it. The notices themselves
 * are in {@code SLACK_NOTICE} (chat's {@code NoticeStore}), claimed per retry: two jobs of one site
 * (two nodes scheduling at once) never post a notice twice. Each run re-schedules the next one while
 * notices are pending; at start every site with pending notices gets one (a crash between keeping a
 * notice and scheduling its retry).
 *
 * <p>When a run's notice is delivered late, its entry in the run's {@code undeliveredNotices} is
 * removed (in every active process of the run: the stages hold copies), so the run's summary lists
 * only what was never delivered.
 */
@Component
public class NoticeRetryJobs extends AbstractProcessEnginePlugin implements JobHandler<NoticeRetryJobs.SiteOf> {
  private static final Logger log = LoggerFactory.getLogger(NoticeRetryJobs.class);
  public static final String TYPE = "upgrade-slack-notices";

  /** The job's configuration: the site whose notices it retries. */
  public record SiteOf(String site) implements JobHandlerConfiguration {
    @Override
    public String toCanonicalString() {
      return site;
    }
  }

  private final ObjectProvider<Notifier> notifier;
  private final ObjectProvider<SlackProperties> slack;
  private volatile ProcessEngineConfigurationImpl engine;

  NoticeRetryJobs(ObjectProvider<Notifier> notifier, ObjectProvider<SlackProperties> slack) {
    this.notifier = notifier;
    this.slack = slack;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomJobHandlers() == null) {
      configuration.setCustomJobHandlers(new ArrayList<>());
    }
    configuration.getCustomJobHandlers().add(this);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    this.engine = configuration;
  }

  @EventListener
  void pending(NoticePending event) {
    ensureRetry(event.site());
  }

  @EventListener(ApplicationReadyEvent.class)
  void atStart() {
    Notifier n = notifier.getIfAvailable();
    if (n == null || engine == null) {
      return;
    }
    try {
      n.sitesWithPendingNotices().forEach(this::ensureRetry);
    } catch (RuntimeException e) {
      log.warn("pending Slack notices not checked at start: {}", e.toString());
    }
  }

  /** A retry of the site's notices is due within the retry interval, unless one is already waiting. */
  void ensureRetry(String site) {
    if (engine == null) {
      log.warn("no engine: Slack notices of {} are kept but not retried until the next start", site);
      return;
    }
    try {
      // a transaction of its own: the notice is already kept, whatever becomes of the caller's
      engine.getCommandExecutorTxRequiresNew().execute(ctx -> {
        boolean waiting = ctx.getJobManager().findJobsByConfiguration(TYPE, site, null).stream()
            .anyMatch(j -> j.getLockOwner() == null);
        if (!waiting) {
          schedule(ctx, site);
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("retry of the Slack notices of {} not scheduled now ({}); it is at the next start or notice", site,
          e.toString());
    }
  }

  private void schedule(CommandContext ctx, String site) {
    MessageEntity job = new MessageEntity();
    job.setJobHandlerType(TYPE);
    job.setJobHandlerConfiguration(new SiteOf(site));
    job.setDuedate(Date.from(Instant.now().plus(slack.getObject().retryInterval())));
    ctx.getJobManager().insertJob(job);
  }

  @Override
  public String getType() {
    return TYPE;
  }

  @Override
  public void execute(SiteOf configuration, ExecutionEntity execution, CommandContext ctx, String tenantId) {
    Notifier n = notifier.getIfAvailable();
    if (n == null) {
      return;
    }
    String site = configuration.site();
    RuntimeService runtime = engine.getRuntimeService();
    Notifier.Retry r = n.retryPending(site,
        run -> runtime.createProcessInstanceQuery().processInstanceBusinessKey(run).count() == 0);
    Map<String, List<String>> deliveredByRun = new LinkedHashMap<>();
    for (Notifier.Undelivered u : r.delivered()) {
      if (u.runId() != null && u.label() != null) {
        deliveredByRun.computeIfAbsent(u.runId(), k -> new ArrayList<>())
            .add(Notifier.listedPrefix(u.label(), u.firstAttempt()));
      }
    }
    deliveredByRun.forEach(this::unlist);
    if (r.stillPending() > 0) {
      schedule(ctx, site);
    }
  }

  /** Removes the delivered notices' entries from the run's {@code undeliveredNotices}, in each process of the run. */
  private void unlist(String runId, List<String> prefixes) {
    RuntimeService runtime = engine.getRuntimeService();
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        engine.getCommandExecutorTxRequiresNew().execute(ctx -> {
          for (ProcessInstance root : runtime.createProcessInstanceQuery().processInstanceBusinessKey(runId).list()) {
            for (ProcessInstance p : runtime.createProcessInstanceQuery().rootProcessInstanceId(root.getRootProcessInstanceId()).list()) {
              Object value = runtime.getVariableLocal(p.getId(), RunVariables.UNDELIVERED_NOTICES);
              if (value instanceof Collection<?> c) {
                List<String> kept = c.stream().map(String::valueOf)
                    .filter(e -> prefixes.stream().noneMatch(e::startsWith)).toList();
                if (kept.size() != c.size()) {
                  runtime.setVariableLocal(p.getId(), RunVariables.UNDELIVERED_NOTICES, new ArrayList<>(kept));
                }
              }
            }
          }
          return null;
        });
        return;
      } catch (OptimisticLockingException e) {
        // a step of the run changed the variable at the same moment: read it again
        log.debug("undeliveredNotices of run {} changed meanwhile (attempt {})", runId, attempt);
      } catch (RuntimeException e) {
        log.warn("undeliveredNotices of run {} not updated after late delivery: {}", runId, e.toString());
        return;
      }
    }
  }

  @Override
  public SiteOf newConfiguration(String canonicalString) {
    return new SiteOf(canonicalString);
  }

  @Override
  public void onDelete(SiteOf configuration, JobEntity jobEntity) {}
}
