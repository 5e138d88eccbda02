package org.lsst.ts.upgrade.runbook.runs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.incremental.CheckNewTopics;

/**
 * A validated request to start a run: what {@link RunInputValidator} made of the JSON body.
 * Fields a process does not use are null.
 */
record RunRequest(
    String process,
    String site,
    String cycle,
    String revision,
    Boolean breakingSchemaChange,
    String phalanxRef,
    String dockerComposeOpsBranch,
    String loveIntegrationToolsBranch,
    List<String> cscs,
    List<String> telescopes,
    /** incremental-upgrade: full topic names the new interface adds (checked on the broker). */
    List<String> newTopics) {

  /**
   * The run's start variables, by their exact names: one mapping for a run started ({@link Runs})
   * and a plan (DryRuns). {@code list} makes the variable of each list (null where the process
   * takes none); the other absent fields are null too.
   */
  Map<String, Object> startVariables(String runId, String startedBy, Function<List<String>, Object> list) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put(RunVariables.SITE, site);
    vars.put(RunVariables.RUN_ID, runId);
    vars.put(RunVariables.CYCLE, cycle);
    vars.put(RunVariables.REVISION, revision);
    vars.put(RunVariables.BREAKING_SCHEMA_CHANGE, breakingSchemaChange);
    vars.put(RunVariables.PHALANX_REF, phalanxRef);
    vars.put(RunVariables.DOCKER_COMPOSE_OPS_BRANCH, dockerComposeOpsBranch);
    vars.put(RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH, loveIntegrationToolsBranch);
    vars.put(RunVariables.STARTED_BY, startedBy);
    vars.put(RunVariables.CSCS, list.apply(cscs));
    vars.put(RunVariables.TELESCOPES, list.apply(telescopes));
    vars.put(CheckNewTopics.NEW_TOPICS, list.apply(newTopics));
    return vars;
  }
}
