package org.lsst.ts.upgrade.runbook.runs;

import java.util.ArrayList;
import java.util.Map;
import org.lsst.ts.upgrade.ApiException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A run's plan without the run: the same body and the same refusals as {@link Runs#start}, then the
 * plan the run would show for approval. Starts nothing and acts on nothing (the planner reads only).
 */
@Service
class DryRuns {
  private final RunInputValidator validator;
  private final ObjectProvider<RunPlanner> planner;

  DryRuns(RunInputValidator validator, ObjectProvider<RunPlanner> planner) {
    this.validator = validator;
    this.planner = planner;
  }

  /** The plan; a {@link RunInputException} (400) names every bad field. */
  RunPlanner.Plan plan(Map<String, Object> body, String user) {
    RunRequest r = validator.validate(body);
    RunPlanner p = planner.getIfAvailable();
    if (p == null) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "no planner in this version of the orchestrator");
    }
    Map<String, Object> vars = r.startVariables("(plan only)", user, l -> l == null ? null : new ArrayList<>(l));
    vars.values().removeIf(java.util.Objects::isNull);
    return p.plan(r.process(), vars);
  }
}
