package org.lsst.ts.upgrade.runbook.runs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lsst.ts.upgrade.ApiException;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.incremental.CheckNewTopics;
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
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put(RunVariables.SITE, r.site());
    vars.put(RunVariables.RUN_ID, "(plan only)");
    vars.put(RunVariables.CYCLE, r.cycle());
    vars.put(RunVariables.REVISION, r.revision());
    vars.put(RunVariables.BREAKING_SCHEMA_CHANGE, r.breakingSchemaChange());
    vars.put(RunVariables.PHALANX_REF, r.phalanxRef());
    vars.put(RunVariables.DOCKER_COMPOSE_OPS_BRANCH, r.dockerComposeOpsBranch());
    vars.put(RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH, r.loveIntegrationToolsBranch());
    vars.put(RunVariables.STARTED_BY, user);
    vars.put(RunVariables.CSCS, r.cscs() == null ? null : new ArrayList<>(r.cscs()));
    vars.put(RunVariables.TELESCOPES, r.telescopes() == null ? null : new ArrayList<>(r.telescopes()));
    vars.put(CheckNewTopics.NEW_TOPICS, r.newTopics() == null ? null : new ArrayList<>(r.newTopics()));
    vars.values().removeIf(java.util.Objects::isNull);
    return p.plan(r.process(), vars);
  }
}
