package org.lsst.ts.upgrade.runbook.runs;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/runs/{runId}} answers: the run's state and what it is doing now, across
 * the called processes too.
 *
 * @param state ACTIVE, COMPLETED, ABORTED (an operator's abort: see {@code aborted}) or CANCELLED
 *     (deleted from Cockpit or the API)
 * @param endActivityId the end event it reached (tells a failed minimal test from a passed one)
 * @param aborted who aborted the run, at which step and why; null unless ABORTED
 */
public record RunStatus(
    String runId,
    String process,
    String processInstanceId,
    String site,
    String state,
    String startedBy,
    Instant start,
    Instant end,
    String endActivityId,
    List<Incident> incidents,
    List<Activity> activities,
    List<OpenTask> tasks,
    Aborted aborted) {

  public record Aborted(String by, String step, String reason) {}

  public record Incident(String id, String type, String activityId, String processInstanceId, String message,
      Instant time) {}

  public record Activity(String activityId, String name, String type, String processDefinitionKey,
      String processInstanceId, Instant start) {}

  public record OpenTask(String id, String name, String taskDefinitionKey, String assignee,
      List<String> candidateGroups, String processInstanceId, Instant created) {}
}
