package org.lsst.ts.upgrade.runbook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * The one typed accessor for process variables: every delegate reads and writes through it, so a
 * variable's name and type are defined once. Lists are stored as {@code ArrayList<String>}.
 * No secret is ever a variable (history keeps them for ever).
 */
public final class RunVariables {

  // ---- start variables (the run API's contract) ----
  public static final String SITE = "site";
  public static final String RUN_ID = "runId";
  public static final String CYCLE = "cycle";
  /** The incremental upgrade's revision ("Revision 2"). */
  public static final String REVISION = "revision";
  public static final String BREAKING_SCHEMA_CHANGE = "breakingSchemaChange";
  public static final String PHALANX_REF = "phalanxRef";
  public static final String DOCKER_COMPOSE_OPS_BRANCH = "dockerComposeOpsBranch";
  public static final String LOVE_INTEGRATION_TOOLS_BRANCH = "loveIntegrationToolsBranch";
  public static final String STARTED_BY = "startedBy";
  /** The CSCs an incremental upgrade touches ("Name[:index]"; JSON-serialized object variable). */
  public static final String CSCS = "cscs";
  /** List of {@code auxtel}, {@code maintel}: the telescopes minimal testing tests (JSON-serialized object variable). */
  public static final String TELESCOPES = "telescopes";

  // ---- plan: what the site file says about this run (set by the first step) ----
  public static final String STARTED_AT = "startedAt";
  public static final String SITE_NAME = "siteName";
  public static final String SITE_CHANNEL = "siteChannel";
  public static final String LOVE_URL = "loveUrl";
  public static final String ARGOCD_URL = "argocdUrl";
  public static final String CHRONOGRAF_URL = "chronografUrl";
  public static final String NUBLADO_URL = "nubladoUrl";
  public static final String LOVE_SUMMARY_VIEW = "loveSummaryView";
  public static final String SCRIPT_QUEUE = "scriptQueue";
  public static final String POLL_INTERVAL = "pollInterval";
  public static final String OFFLINE_TIMEOUT = "offlineTimeout";
  public static final String STILL_ALIVE_ASK_AFTER = "stillAliveAskAfter";
  public static final String BRING_UP_ASK_AFTER = "bringUpAskAfter";
  public static final String MONITOR_TIMEOUT = "monitorTimeout";
  public static final String CONFIRM_M2_CLOSED_LOOP = "confirmM2ClosedLoop";
  public static final String HAS_HELD_STATES = "hasHeldStates";
  public static final String HAS_CAMERA_BRIDGES = "hasCameraBridges";
  public static final String HAS_BARE_METAL_SERVICES = "hasBareMetalServices";
  public static final String HAS_BARE_METAL_REPOS = "hasBareMetalRepos";
  public static final String HAS_ESS_CONTROLLERS = "hasEssControllers";
  public static final String HAS_CRIOS = "hasCrios";
  public static final String CAMERA_HOSTS_TEXT = "cameraHostsText";
  public static final String PLATFORM_APPS = "platformApps";
  public static final String SASQUATCH_APP = "sasquatchApp";
  public static final String TELESCOPE_FIRST_APPS = "telescopeFirstApps";
  public static final String TELESCOPE_OTHER_APPS = "telescopeOtherApps";

  // ---- held states (Summit: MTM1M3TS ENABLED, MTM1M3 DISABLED) ----
  public static final String HELD_STATES_KNOWN = "heldStatesKnown";
  public static final String HELD_STATES_OK = "heldStatesOk";
  public static final String HELD_STATES_TEXT = "heldStatesText";
  public static final String HELD_STATES_DECISION = "heldStatesDecision";
  public static final String HELD_STATES_OVERRIDE_REASON = "heldStatesOverrideReason";
  public static final String M2_CLOSED_LOOP_CONFIRMED = "m2ClosedLoopConfirmed";

  // ---- run-script (called process) ----
  public static final String SCRIPT_PATH = "scriptPath";
  public static final String SCRIPT_STANDARD = "scriptStandard";
  /** The script's configuration as JSON text (turned into YAML by the LOVE client). */
  public static final String SCRIPT_CONFIG_JSON = "scriptConfigJson";
  public static final String SCRIPT_DESCRIPTION = "scriptDescription";
  public static final String SCRIPT_TAG = "scriptTag";
  public static final String SCRIPT_INDEX = "scriptIndex";
  /** When the script was added (engine clock): its deadline is {@code upgrade.runbook.scripts.timeout} later. */
  public static final String SCRIPT_ADDED_AT = "scriptAddedAt";
  /**
   * When the add was sent (wall clock, as the ScriptQueue events are stamped when heard): only a queue
   * state heard since says anything of the script.
   */
  public static final String SCRIPT_ADD_SENT_AT = "scriptAddSentAt";
  public static final String SCRIPT_DONE = "scriptDone";
  public static final String SCRIPT_SUCCEEDED = "scriptSucceeded";
  public static final String SCRIPT_MESSAGE = "scriptMessage";
  /** Set by a person through the "script overdue" task: the next check stops the script. */
  public static final String SCRIPT_STOP_REQUESTED_BY = "scriptStopRequestedBy";
  /** What the "script overdue" task shows: the script, since when, how long it usually takes. */
  public static final String SCRIPT_OVERDUE_TEXT = "scriptOverdueText";
  /** Polls in a row in which the script's queue no longer knew it (not waiting, not current, not in its history). */
  public static final String SCRIPT_ABSENT_POLLS = "scriptAbsentPolls";
  /**
   * Polls in a row in which the script's queue named it in its history (it ended) while its end was
   * never heard (its {@code script} events lost, e.g. in a Kafka outage).
   */
  public static final String SCRIPT_END_UNHEARD_POLLS = "scriptEndUnheardPolls";
  /** When the queue was last asked to publish the script's state again (at first: when the add was sent). */
  public static final String SCRIPT_STATE_ASKED_AT = "scriptStateAskedAt";
  /** The script was seen to start (the queue's current script, or RUNNING). */
  public static final String SCRIPT_STARTED = "scriptStarted";
  /** The queue lost the script (absent for {@code upgrade.runbook.scripts.lost-after-polls} polls). */
  public static final String SCRIPT_LOST = "scriptLost";
  /** A lost script that never started and was not added again yet: it is added again by itself, once. */
  public static final String SCRIPT_LOST_ADD_AGAIN = "scriptLostAddAgain";
  /** How many times the script was added again after being lost. */
  public static final String SCRIPT_ADDED_AGAIN = "scriptAddedAgain";
  /** What the "script lost" task shows: which script, which queue, since when, whether it had started. */
  public static final String SCRIPT_LOST_TEXT = "scriptLostText";
  /** The "script lost" task's decision: again, done (ran to completion by hand) or failed. */
  public static final String SCRIPT_LOST_DECISION = "scriptLostDecision";
  /** The "script lost" task's note (what was done by hand). */
  public static final String SCRIPT_LOST_NOTE = "scriptLostNote";

  // ---- send-cscs-offline ----
  public static final String OFFLINE_TARGETS = "offlineTargets";
  public static final String SHUTDOWN_SCRIPT_PATH = "shutdownScriptPath";
  public static final String SHUTDOWN_SCRIPT_CONFIG_JSON = "shutdownScriptConfigJson";
  public static final String QUEUES_SCRIPT_CONFIG_JSON = "queuesScriptConfigJson";
  public static final String OFFLINE_EXPECTATIONS = "offlineExpectations";
  /** What a sync of sasquatch would change (Argo CD's managed-resources diff), shown in its task. */
  public static final String SASQUATCH_DIFF_TEXT = "sasquatchDiffText";
  /** What Argo CD resolved the run's Phalanx ref to (checked before the operator confirms the merge). */
  public static final String PHALANX_REF_TEXT = "phalanxRefText";
  /** LOVE's summary view and the site's Chronograf dashboards, linked in every monitoring task. */
  public static final String MONITORING_LINKS_TEXT = "monitoringLinksText";
  /** The shutdown script's targets as expectations (the queues left out): awaited while the queues still run. */
  public static final String TARGETS_OFFLINE_EXPECTATIONS = "targetsOfflineExpectations";
  /** Every target OFFLINE after the shutdown script; else the laggards ({@link #STRAGGLERS}), retried by script. */
  public static final String TARGETS_OFFLINE = "targetsOffline";
  public static final String STRAGGLERS = "stragglers";
  public static final String STRAGGLERS_RETRIED = "stragglersRetried";
  public static final String STRAGGLER_SCRIPT_CONFIG_JSON = "stragglerScriptConfigJson";
  public static final String STILL_ALIVE_DECISION = "stillAliveDecision";
  public static final String STILL_ALIVE_NOTE = "stillAliveNote";
  public static final String CSCS_STILL_ALIVE_TEXT = "cscsStillAliveText";
  public static final String CSCS_HANDLED_BY_HAND = "cscsHandledByHand";
  /** Every script of the run that did not succeed, one line each (on the run: {@link #run()}), for the summary and the report. */
  public static final String SCRIPT_FAILURES = "scriptFailures";
  /** Every script a ScriptQueue lost during the run and what became of it, one line each (on the run), for the summary. */
  public static final String SCRIPTS_LOST = "scriptsLost";

  // ---- await-csc-states (called process) ----
  /** Entries "Name[:index]=STATE[|STATE...]". */
  public static final String AWAIT_EXPECTATIONS = "awaitExpectations";
  public static final String AWAIT_TIMEOUT = "awaitTimeout";
  public static final String AWAIT_DEADLINE = "awaitDeadline";
  /** When the wait began (its first check): a heartbeat heard well after it proves a CSC alive. */
  public static final String AWAIT_STARTED_AT = "awaitStartedAt";
  /**
   * Input: the wait also ends once every CSC not in its expected state is proven alive (heard beating
   * a heartbeat period after the wait began): after the script that asked for OFFLINE has ended,
   * such a CSC ignored it, and waiting longer tells nothing new.
   */
  public static final String AWAIT_END_WHEN_KNOWN_ALIVE = "awaitEndWhenKnownAlive";
  /** Output: the wait ended because every laggard was proven alive ({@link #AWAIT_END_WHEN_KNOWN_ALIVE}). */
  public static final String AWAIT_KNOWN_ALIVE = "awaitKnownAlive";
  /**
   * Input: once every laggard is proven alive, the wait tells its caller (message
   * {@code CscsKnownAlive}, once) and goes on watching: the caller asks a person at once.
   */
  public static final String AWAIT_TELL_WHEN_KNOWN_ALIVE = "awaitTellWhenKnownAlive";
  /** The caller was told the laggards are proven alive ({@link #AWAIT_TELL_WHEN_KNOWN_ALIVE}). */
  public static final String AWAIT_TOLD_KNOWN_ALIVE = "awaitToldKnownAlive";
  public static final String AWAIT_SATISFIED = "awaitSatisfied";
  public static final String AWAIT_TIMED_OUT = "awaitTimedOut";
  /** In: a CSC in FAULT ends the wait at once (it will not come back by itself). Out: one did. */
  public static final String AWAIT_STOP_ON_FAULT = "awaitStopOnFault";
  public static final String AWAIT_FAULTED = "awaitFaulted";
  public static final String AWAIT_LAGGARDS = "awaitLaggards";
  public static final String AWAIT_LAGGARDS_TEXT = "awaitLaggardsText";

  // ---- clean-up ----
  public static final String CLEANUP_TARGET = "cleanupTarget";
  public static final String CLEANUP_LEFTOVERS_TEXT = "cleanupLeftoversText";
  public static final String CLEANUP_DECISION = "cleanupDecision";
  public static final String CAMERA_STAGE1_DONE = "cameraStage1Done";

  // ---- configuration ----
  public static final String PHALANX_MERGED = "phalanxMerged";

  // ---- schema compatibility ----
  public static final String RECORDED_COMPATIBILITY = "recordedCompatibility";
  public static final String COMPATIBILITY_RELAXED = "compatibilityRelaxed";
  public static final String COMPATIBILITY_RESTORED = "compatibilityRestored";

  // ---- deploy ----
  public static final String UPDATE_ESS_CONTROLLERS = "updateEssControllers";
  public static final String UPDATE_CRIOS = "updateCrios";
  public static final String CRIOS_DONE = "criosDone";
  /** When the cRIO rebuilds (this attempt) were started: the checks back off from it ({@code polls}). */
  public static final String CRIO_REBUILDS_STARTED_AT = "crioRebuildsStartedAt";
  public static final String CRIO_FAILURE_TEXT = "crioFailureText";
  public static final String CRIO_DECISION = "crioDecision";
  public static final String SYNC_SASQUATCH = "syncSasquatch";
  public static final String SYNC_SEQUENCE = "syncSequence";
  public static final String SYNC_PARALLEL = "syncParallel";
  public static final String APP = "app";
  public static final String SYNC_STARTED_AT = "syncStartedAt";
  /** When this sync was asked for (engine clock): its checks back off from it ({@code polls}). */
  public static final String SYNC_ASKED_AT = "syncAskedAt";
  public static final String SYNC_DONE = "syncDone";
  public static final String SYNC_FAILURE_TEXT = "syncFailureText";
  public static final String SYNC_DECISION = "syncDecision";
  public static final String SYNCS_SKIPPED = "syncsSkipped";
  public static final String CAMERA_SERVICES_STARTED = "cameraServicesStarted";
  public static final String HOST_STEP = "hostStep";
  /** A host step's result per host (local to the step, so it stays in the history only). */
  public static final String HOST_STEP_RESULT = "hostStepResult";
  /**
   * Every host step a person said was done by hand after it failed, one line each (on the run:
   * {@link #run()}, and on each stage that holds a copy), for the summary and the report.
   */
  public static final String HOST_STEPS_BY_HAND = "hostStepsByHand";

  // ---- monitor, enable, finish ----
  public static final String MONITOR_EXPECTATIONS = "monitorExpectations";
  public static final String MONITOR_DECISION = "monitorDecision";
  public static final String UNHEALTHY_CSCS = "unhealthyCscs";
  public static final String ENABLE_SCRIPT_CONFIG_JSON = "enableScriptConfigJson";
  /** The site has cRIOs of held CSCs (Summit: M1M3): the people responsible update them; their commands. */
  public static final String HAS_HELD_CRIOS = "hasHeldCrios";
  public static final String HELD_CRIOS_TEXT = "heldCriosText";
  public static final String HELD_CRIOS_UPDATED = "heldCriosUpdated";
  /** The enable list as expectations ({@code CSC=ENABLED}), awaited after the enable script. */
  public static final String ENABLE_EXPECTATIONS = "enableExpectations";
  /** Every CSC of the enable list was seen ENABLED; else {@link #NOT_ENABLED_CSCS} lists the laggards. */
  public static final String ENABLE_VERIFIED = "enableVerified";
  public static final String NOT_ENABLED_CSCS = "notEnabledCscs";
  public static final String NOT_ENABLED_TEXT = "notEnabledText";
  public static final String INTEGRATION_TESTING_NEXT = "integrationTestingNext";
  public static final String NOTICE_KIND = "noticeKind";
  public static final String UNDELIVERED_NOTICES = "undeliveredNotices";
  /**
   * Task-local, set when a task is completed from its Slack message: "decided in Slack by
   * &lt;user&gt; (Slack user U…, channel C…, message ts …)". The run report shows it.
   */
  public static final String SLACK_DECISION = "decidedInSlack";
  /** How the run ended, kept on the run by the engine (AbortRecorder): RUNNING, COMPLETED, ABORTED or CANCELLED. */
  public static final String RUN_OUTCOME = "runOutcome";
  /** Who aborted the run (the user who completed the deciding task), at which step, and why. */
  public static final String ABORTED_BY = "abortedBy";
  public static final String ABORT_STEP = "abortStep";
  public static final String ABORT_REASON = "abortReason";

  // ---- sync-app: deadline, and an operation of someone else waited for ----
  /** ISO-8601 duration one app's sync may take; set by the step (from {@code upgrade.argocd.sync-timeout}) unless given. */
  public static final String SYNC_TIMEOUT = "syncTimeout";
  /** Set by a person through the "sync overdue" task: the next check ends the wait as a failure. */
  public static final String SYNC_STOP_REQUESTED_BY = "syncStopRequestedBy";
  /** What the "sync overdue" task shows. */
  public static final String SYNC_OVERDUE_TEXT = "syncOverdueText";
  public static final String SYNC_DEADLINE = "syncDeadline";
  /** Start of the operation already in progress that is waited for before syncing again; null when none. */
  public static final String SYNC_AWAITED_OPERATION = "syncAwaitedOperation";

  private final VariableScope scope;

  private RunVariables(VariableScope scope) {
    this.scope = scope;
  }

  public static RunVariables of(VariableScope scope) {
    return new RunVariables(scope);
  }

  /**
   * The variables of the run itself (its root process instance), from any stage or building block:
   * what the whole run reports, whichever process wrote it. This scope when it is not an execution.
   */
  public RunVariables run() {
    if (scope instanceof org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity e) {
      var pi = e.getProcessInstance();
      while (pi.getSuperExecution() != null) {
        pi = pi.getSuperExecution().getProcessInstance();
      }
      return new RunVariables(pi);
    }
    return this;
  }

  // ---- typed access ----

  /** A required string; an IllegalStateException names the variable when it is missing. */
  public String string(String name) {
    Object v = scope.getVariable(name);
    if (v == null) {
      throw new IllegalStateException("process variable '" + name + "' is missing");
    }
    return v.toString();
  }

  public String stringOr(String name, String fallback) {
    Object v = scope.getVariable(name);
    return v == null ? fallback : v.toString();
  }

  public boolean flag(String name) {
    Object v = scope.getVariable(name);
    if (v instanceof Boolean b) {
      return b;
    }
    return v != null && Boolean.parseBoolean(v.toString());
  }

  public int integer(String name, int fallback) {
    Object v = scope.getVariable(name);
    if (v instanceof Number n) {
      return n.intValue();
    }
    return v == null ? fallback : Integer.parseInt(v.toString().trim());
  }

  public Date date(String name) {
    Object v = scope.getVariable(name);
    return v instanceof Date d ? d : null;
  }

  /** A list of strings; accepts a collection or a comma-separated string. Never null. */
  public List<String> list(String name) {
    Object v = scope.getVariable(name);
    List<String> out = new ArrayList<>();
    if (v instanceof Collection<?> c) {
      c.forEach(e -> out.add(String.valueOf(e)));
    } else if (v != null && !v.toString().isBlank()) {
      for (String s : v.toString().split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  public boolean has(String name) {
    return scope.getVariable(name) != null;
  }

  /** Sets the variable where it is visible (the nearest scope that has it, else the process). */
  public RunVariables set(String name, Object value) {
    scope.setVariable(name, stored(value));
    return this;
  }

  /** Sets a variable local to the current scope (a loop's deadline, an app's sync start). */
  public RunVariables setLocal(String name, Object value) {
    scope.setVariableLocal(name, stored(value));
    return this;
  }

  /** The engine stores a string variable in a 4000-character column: longer texts are cut, saying so. */
  static final int MAX_TEXT = 3900;

  private static Object stored(Object value) {
    if (value instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (value instanceof String s && s.length() > MAX_TEXT) {
      String cut = s.substring(0, MAX_TEXT - 60);
      int nl = cut.lastIndexOf('\n');
      cut = nl > MAX_TEXT / 2 ? cut.substring(0, nl) : cut;
      return cut + "\n… (" + (s.length() - cut.length()) + " more characters: see Cockpit/the lists)";
    }
    return value;
  }

  /** Appends to a list variable. */
  public RunVariables append(String name, String item) {
    List<String> l = list(name);
    l.add(item);
    return set(name, l);
  }

  /** Appends a line to a newline-separated text, keeping the newest lines when it grows past {@link #MAX_TEXT}. */
  public RunVariables appendLine(String name, String line) {
    String old = stringOr(name, "");
    String text = old.isEmpty() ? line : old + "\n" + line;
    if (text.length() > MAX_TEXT) {
      text = text.substring(text.length() - MAX_TEXT);
    }
    return set(name, text);
  }

  // ---- the names most delegates read ----

  public String site() {
    return string(SITE);
  }

  public String runId() {
    return string(RUN_ID);
  }
}
