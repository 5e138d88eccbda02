package org.lsst.ts.upgrade.runbook.preflight;

/** Ids of {@code preflight} ({@code processes/preflight.bpmn}): Preflight and the plan to approve. */
public final class PreflightIds {
  private PreflightIds() {}

  public static final String KEY = "preflight";

  // flow nodes, in the file's order
  public static final String START_PREFLIGHT_REQUESTED = "StartEvent_PreflightRequested";
  public static final String CHECK_RUN_INPUTS = "ServiceTask_CheckRunInputs";
  public static final String CHECK_ACCESS = "ServiceTask_CheckAccess";
  public static final String GATEWAY_ACCESS_OK = "Gateway_AccessOk";
  public static final String END_CHECKED_BY_CALLER = "EndEvent_CheckedByCaller";
  public static final String REVIEW_PREFLIGHT_PROBLEMS = "UserTask_ReviewPreflightProblems";
  public static final String GATEWAY_PREFLIGHT_DECISION = "Gateway_PreflightDecision";
  public static final String END_PREFLIGHT_ABORTED = "EndEvent_PreflightAborted";
  public static final String BUILD_PLAN = "ServiceTask_BuildPlan";
  public static final String APPROVE_PLAN = "UserTask_ApprovePlan";
  public static final String GATEWAY_PLAN_APPROVED = "Gateway_PlanApproved";
  public static final String END_PLAN_APPROVED = "EndEvent_PlanApproved";
  public static final String END_PLAN_REJECTED = "EndEvent_PlanRejected";

  // variables
  /** {@code ok}, {@code problems}, or {@code checkedByCaller} (a process called by a run that did its preflight). */
  public static final String VAR_PREFLIGHT_OUTCOME = "preflightOutcome";
  public static final String OUTCOME_OK = "ok";
  public static final String OUTCOME_PROBLEMS = "problems";
  public static final String OUTCOME_CHECKED_BY_CALLER = "checkedByCaller";
  /** Every problem found, one per entry. */
  public static final String VAR_PREFLIGHT_PROBLEMS = "preflightProblems";
  public static final String VAR_PREFLIGHT_PROBLEMS_TEXT = "preflightProblemsText";
  /** What each check read (logged in, compatibility, ...), for the record. */
  public static final String VAR_PREFLIGHT_FINDINGS_TEXT = "preflightFindingsText";
  /** {@code checkAgain} or {@code abort}. */
  public static final String VAR_PREFLIGHT_DECISION = "preflightDecision";
  /** {@code approve} or {@code abort}; never preset. */
  public static final String VAR_PLAN_DECISION = "planDecision";
  public static final String VAR_PLAN_ABORT_REASON = "planAbortReason";
  /** The plan's sections as text, one variable each (a variable holds at most ~4000 characters). */
  public static final String VAR_PLAN_RUN = "planRun";
  public static final String VAR_PLAN_SCRIPTS = "planScripts";
  public static final String VAR_PLAN_KUBERNETES = "planKubernetes";
  public static final String VAR_PLAN_ARGOCD = "planArgoCd";
  public static final String VAR_PLAN_HOSTS = "planHosts";
  public static final String VAR_PLAN_NOTICES = "planNotices";
  public static final String VAR_PLAN_MONITOR = "planMonitor";
}
