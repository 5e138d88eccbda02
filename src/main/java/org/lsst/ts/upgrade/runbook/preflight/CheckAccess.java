package org.lsst.ts.upgrade.runbook.preflight;

import static org.lsst.ts.upgrade.runbook.preflight.PreflightIds.*;

import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The preflight's checks: every system the run will act on, read once (nothing is changed). Writes
 * the outcome, every problem, and what was read. In a process called by another run (minimal
 * testing after an incremental upgrade) the calling run did the preflight: nothing is checked.
 */
@Component
public class CheckAccess implements JavaDelegate {
  private static final Logger log = LoggerFactory.getLogger(CheckAccess.class);
  private final RunPlanBuilder plans;
  private final PreflightChecks checks;
  private final org.lsst.ts.upgrade.site.Sites sites;

  public CheckAccess(RunPlanBuilder plans, PreflightChecks checks, org.lsst.ts.upgrade.site.Sites sites) {
    this.plans = plans;
    this.checks = checks;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    ExecutionEntity run = runOf(execution);
    if (run.getSuperExecution() != null) {
      v.set(VAR_PREFLIGHT_OUTCOME, OUTCOME_CHECKED_BY_CALLER);
      return;
    }
    // the preflight's forms name the site before the run's own plan step has
    sites.find(v.site()).ifPresent(site -> v.set(RunVariables.SITE_NAME, site.displayName()));
    String process = run.getProcessDefinition().getKey();
    Map<String, Object> start = execution.getVariables();
    PreflightChecks.Result r = checks.check(plans.scope(process, start));
    v.set(VAR_PREFLIGHT_OUTCOME, r.ok() ? OUTCOME_OK : OUTCOME_PROBLEMS);
    v.set(VAR_PREFLIGHT_PROBLEMS, r.problems());
    v.set(VAR_PREFLIGHT_PROBLEMS_TEXT, r.problems().isEmpty() ? "" : "- " + String.join("\n- ", r.problems()));
    v.set(VAR_PREFLIGHT_FINDINGS_TEXT, r.findings().isEmpty() ? "" : "- " + String.join("\n- ", r.findings()));
    if (!r.ok()) {
      log.warn("Run {}: preflight found {} problem(s): {}", v.stringOr(RunVariables.RUN_ID, "?"), r.problems().size(),
          r.problems());
    }
  }

  /** The process instance the preflight was called from (the run, or a process the run called). */
  static ExecutionEntity runOf(DelegateExecution execution) {
    ExecutionEntity preflight = ((ExecutionEntity) execution).getProcessInstance();
    ExecutionEntity caller = preflight.getSuperExecution();
    return caller == null ? preflight : caller.getProcessInstance();
  }
}
