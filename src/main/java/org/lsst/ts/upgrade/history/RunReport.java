package org.lsst.ts.upgrade.history;

import java.time.Instant;
import org.lsst.ts.upgrade.runbook.runs.RunStatus;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/runs/{runId}/report} answers: the audit trail of one run, across the
 * processes it called, from the engine's history (level FULL).
 *
 * @param state ACTIVE, COMPLETED, ABORTED or CANCELLED (deleted from Cockpit or the API)
 * @param aborted who aborted the run, at which step and why; null unless ABORTED
 * @param durationMillis end − start; up to now while the run is active
 * @param endActivityId the end event it reached (tells a failed minimal test from a passed one)
 * @param timeline every activity of the run and its called processes, by start time
 * @param tasks every user task, by creation time, with who completed it and what they decided
 * @param incidents every incident, open or resolved, by creation time
 * @param failedScripts every script that did not succeed (FAILED, stopped, timed out), even when the run went on
 * @param hostStepsByHand every host step a person recorded as done by hand after it failed: the step, its
 *     hosts, who and what they did
 * @param undeliveredNotices the Slack notices of the run that were never delivered, each once with its time and
 *     why (still retried, given up, or dropped because the run had ended); a notice delivered late leaves the list
 */
public record RunReport(
    String runId,
    String process,
    String processInstanceId,
    String site,
    String state,
    String startedBy,
    Instant start,
    Instant end,
    Long durationMillis,
    String endActivityId,
    RunStatus.Aborted aborted,
    List<Step> timeline,
    List<UserTask> tasks,
    List<Incident> incidents,
    List<String> failedScripts,
    List<String> hostStepsByHand,
    List<String> undeliveredNotices) {

  /**
   * One activity instance.
   *
   * @param canceled interrupted (boundary event, cancelled run) rather than completed
   */
  public record Step(String activityId, String name, String type, String processDefinitionKey,
      String processInstanceId, Instant start, Instant end, Long durationMillis, boolean canceled) {}

  /**
   * One user task.
   *
   * @param completedBy who completed it (the user operation log; the assignee when the log has no user)
   * @param outcome {@code open}, {@code completed}, or {@code deleted} (its scope was interrupted or the run cancelled)
   * @param decisions the variables set when the task was worked on (form fields), by name; display-only
   *     (read-only) form fields and anything named like a secret are left out
   * @param decidedInSlack for a task completed from its Slack message: "decided in Slack by
   *     &lt;user&gt; (Slack user …, channel …, message ts …)"; null otherwise
   */
  public record UserTask(String id, String taskDefinitionKey, String name, String processDefinitionKey,
      String processInstanceId, String assignee, String completedBy, Instant created, Instant end,
      Long durationMillis, String outcome, Map<String, Object> decisions, String decidedInSlack) {}

  /**
   * One incident.
   *
   * @param resolved resolved (retried successfully) or deleted (its scope ended)
   * @param end when it was resolved or deleted
   */
  public record Incident(String id, String type, String activityId, String processDefinitionKey,
      String processInstanceId, String message, Instant created, Instant end, boolean resolved, String status) {}
}
