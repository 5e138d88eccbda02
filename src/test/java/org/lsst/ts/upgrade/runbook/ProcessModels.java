package org.lsst.ts.upgrade.runbook;

import org.lsst.ts.upgrade.runbook.engine.RequireConfirmation;
import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import org.lsst.ts.upgrade.runbook.hoststeps.RunHostCommands;
import org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds;
import org.lsst.ts.upgrade.runbook.monitor.AwaitCscStatesIds;
import org.lsst.ts.upgrade.runbook.notices.PostNotice;
import org.lsst.ts.upgrade.runbook.offline.SendCscsOfflineIds;
import org.lsst.ts.upgrade.runbook.recovery.OsK8sRecoveryIds;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.schema.CompatibilityRestorePlugin;
import org.lsst.ts.upgrade.runbook.schema.SchemaCompatibilityIds;
import org.lsst.ts.upgrade.runbook.scripts.RunScriptIds;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import org.lsst.ts.upgrade.runbook.sync.SyncAppIds;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.camunda.bpm.model.bpmn.builder.CallActivityBuilder;
import org.camunda.bpm.model.bpmn.builder.ProcessBuilder;
import org.camunda.bpm.model.bpmn.builder.ServiceTaskBuilder;
import org.camunda.bpm.model.bpmn.builder.UserTaskBuilder;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaIn;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOut;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

/**
 * The source of the BPMN files in {@code processes/}: the processes are built with Camunda's
 * fluent model API (which also lays out the diagram) and written with deterministic ids.
 * Regenerate after a change with
 * {@code ./mvnw -B test -Dtest=ProcessModelsTests -Dprocesses.regenerate=true}; the test fails
 * when a committed file differs from what this class builds.
 */
public final class ProcessModels {
  public static final String RETRY = "R3/PT30S";
  static final String HISTORY_TTL = "P180D";
  static final String POLL = "${" + POLL_INTERVAL + "}";

  private ProcessModels() {}

  static Map<String, BpmnModelInstance> all() {
    Map<String, BpmnModelInstance> m = new LinkedHashMap<>();
    m.put(RunScriptIds.KEY, runScript());
    m.put(AwaitCscStatesIds.KEY, awaitCscStates());
    m.put(SendCscsOfflineIds.KEY, sendCscsOffline());
    m.put(SyncAppIds.APP_KEY, syncApp());
    m.put(SyncAppIds.ORDER_KEY, syncAppsInOrder());
    m.put(SchemaCompatibilityIds.RELAX_KEY, relax());
    m.put(SchemaCompatibilityIds.RESTORE_KEY, restore());
    m.put(FullUpgradeIds.KEY, fullUpgrade());
    m.put(IncrementalUpgradeIds.KEY, incrementalUpgrade());
    m.put(OsK8sRecoveryIds.KEY, osK8sRecovery());
    return m;
  }

  // ---------------------------------------------------------------- helpers

  private static ProcessBuilder process(String key, String name) {
    return Bpmn.createExecutableProcess(key).name(name).camundaHistoryTimeToLiveString(HISTORY_TTL);
  }

  /** An asynchronous service task with retries (every remote call). */
  private static ServiceTaskBuilder service(AbstractFlowNodeBuilder<?, ?> b, String id, String name, String bean) {
    return b.serviceTask(id).name(name).camundaDelegateExpression("${" + bean + "}")
        .camundaAsyncBefore().camundaFailedJobRetryTimeCycle(RETRY);
  }

  private static UserTaskBuilder user(AbstractFlowNodeBuilder<?, ?> b, String id, String name, String form, String group) {
    return b.userTask(id).name(name).camundaFormRef(form).camundaFormRefBinding("deployment")
        .camundaCandidateGroups(group);
  }

  /** A confirmation task: completing it with {@code variable} not true is refused ({@link RequireConfirmation}). */
  private static UserTaskBuilder confirmation(AbstractFlowNodeBuilder<?, ?> b, String id, String name, String form,
      String group, String variable) {
    return user(b, id, name, form, group)
        .camundaTaskListenerExpression("complete", "${requireConfirmation.check(task, '" + variable + "')}");
  }

  private static CallActivityBuilder call(AbstractFlowNodeBuilder<?, ?> b, String id, String name, String key) {
    return b.callActivity(id).name(name).calledElement(key);
  }

  private static void in(BpmnModelInstance m, String callId, String... vars) {
    CallActivity c = m.getModelElementById(callId);
    for (String var : vars) {
      CamundaIn in = m.newInstance(CamundaIn.class);
      in.setCamundaSource(var);
      in.setCamundaTarget(var);
      c.builder().addExtensionElement(in);
    }
  }

  private static void inExpr(BpmnModelInstance m, String callId, String target, String expression) {
    CallActivity c = m.getModelElementById(callId);
    CamundaIn in = m.newInstance(CamundaIn.class);
    in.setCamundaSourceExpression(expression);
    in.setCamundaTarget(target);
    c.builder().addExtensionElement(in);
  }

  private static void out(BpmnModelInstance m, String callId, String... vars) {
    CallActivity c = m.getModelElementById(callId);
    for (String var : vars) {
      CamundaOut out = m.newInstance(CamundaOut.class);
      out.setCamundaSource(var);
      out.setCamundaTarget(var);
      c.builder().addExtensionElement(out);
    }
  }

  private static String v(String name) {
    return "${" + name + "}";
  }

  private static String not(String name) {
    return "${!" + name + "}";
  }

  private static String is(String name, String value) {
    return "${" + name + " == '" + value + "'}";
  }

  // ---------------------------------------------------------------- called processes

  static BpmnModelInstance runScript() {
    var b = process(RunScriptIds.KEY, "Run a script on a ScriptQueue").startEvent(RunScriptIds.START);
    BpmnModelInstance m = service(service(b, RunScriptIds.ADD_SCRIPT, "Add the script to the queue", "addScript"),
        RunScriptIds.CHECK_SCRIPT, "Check the script's outcome", "checkScript")
        .exclusiveGateway(RunScriptIds.SCRIPT_DONE_GATEWAY).name("Script ended?")
        .condition("yes", v(SCRIPT_DONE)).endEvent(RunScriptIds.END).name("Script ended")
        .moveToNode(RunScriptIds.SCRIPT_DONE_GATEWAY).condition("no", not(SCRIPT_DONE))
        .intermediateCatchEvent(RunScriptIds.POLL_TIMER).name("Poll interval").timerWithDuration(POLL)
        .connectTo(RunScriptIds.CHECK_SCRIPT)
        .done();
    return m;
  }

  static BpmnModelInstance awaitCscStates() {
    var b = process(AwaitCscStatesIds.KEY, "Await CSC states").startEvent(AwaitCscStatesIds.START);
    return service(b, AwaitCscStatesIds.CHECK, "Check the effective CSC states", "checkCscStates")
        .exclusiveGateway(AwaitCscStatesIds.DONE_GATEWAY).name("Reached or timed out?")
        .condition("yes", "${" + AWAIT_SATISFIED + " || " + AWAIT_TIMED_OUT + " || " + AWAIT_FAULTED + "}")
        .endEvent(AwaitCscStatesIds.END).name("States awaited")
        .moveToNode(AwaitCscStatesIds.DONE_GATEWAY)
        .condition("no", "${!" + AWAIT_SATISFIED + " && !" + AWAIT_TIMED_OUT + " && !" + AWAIT_FAULTED + "}")
        .intermediateCatchEvent(AwaitCscStatesIds.POLL_TIMER).name("Poll interval").timerWithDuration(POLL)
        .connectTo(AwaitCscStatesIds.CHECK)
        .done();
  }

  private static void scriptCall(BpmnModelInstance m, String callId, String pathExpr, String configExpr, String tag,
      String description) {
    in(m, callId, SITE, RUN_ID, SCRIPT_QUEUE, POLL_INTERVAL);
    inExpr(m, callId, SCRIPT_PATH, pathExpr);
    inExpr(m, callId, SCRIPT_CONFIG_JSON, configExpr);
    inExpr(m, callId, SCRIPT_TAG, "${" + RUN_ID + "}:" + tag);
    inExpr(m, callId, SCRIPT_DESCRIPTION, description + " (run ${" + RUN_ID + "})");
    out(m, callId, SCRIPT_SUCCEEDED, SCRIPT_MESSAGE);
  }

  private static void awaitCall(BpmnModelInstance m, String callId, String expectations, String timeout) {
    in(m, callId, SITE, RUN_ID, POLL_INTERVAL);
    inExpr(m, callId, AWAIT_EXPECTATIONS, v(expectations));
    inExpr(m, callId, AWAIT_TIMEOUT, v(timeout));
    out(m, callId, AWAIT_SATISFIED, AWAIT_TIMED_OUT, AWAIT_LAGGARDS, AWAIT_LAGGARDS_TEXT);
  }

  static BpmnModelInstance sendCscsOffline() {
    var b = process(SendCscsOfflineIds.KEY, "Send CSCs OFFLINE").startEvent(SendCscsOfflineIds.START);
    BpmnModelInstance m = b
        .serviceTask(SendCscsOfflineIds.PLAN).name("Plan: Watcher first, queues last")
        .camundaDelegateExpression("${planCscsOffline}")
        .callActivity(SendCscsOfflineIds.RUN_SHUTDOWN_SCRIPT).name("Watcher and CSCs OFFLINE (script)")
        .calledElement(RunScriptIds.KEY)
        .exclusiveGateway(SendCscsOfflineIds.QUEUES_GATEWAY).name("Other ScriptQueues?")
        .condition("yes", "${" + QUEUES_SCRIPT_CONFIG_JSON + " != null}")
        .callActivity(SendCscsOfflineIds.RUN_QUEUES_SCRIPT).name("Other ScriptQueues OFFLINE (script)")
        .calledElement(RunScriptIds.KEY)
        .exclusiveGateway(SendCscsOfflineIds.QUEUES_JOIN)
        .moveToNode(SendCscsOfflineIds.QUEUES_GATEWAY).condition("no", "${" + QUEUES_SCRIPT_CONFIG_JSON + " == null}")
        .connectTo(SendCscsOfflineIds.QUEUES_JOIN)
        .serviceTask(SendCscsOfflineIds.EXIT_RUNNING_QUEUE).name("Running ScriptQueue OFFLINE (direct commands)")
        .camundaDelegateExpression("${exitRunningQueue}").camundaAsyncBefore().camundaFailedJobRetryTimeCycle(RETRY)
        .callActivity(SendCscsOfflineIds.AWAIT_OFFLINE).name("Await effective OFFLINE")
        .calledElement(AwaitCscStatesIds.KEY)
        .exclusiveGateway(SendCscsOfflineIds.ALL_OFFLINE_GATEWAY).name("All OFFLINE?")
        .condition("yes", v(AWAIT_SATISFIED)).endEvent(SendCscsOfflineIds.END).name("CSCs OFFLINE")
        .moveToNode(SendCscsOfflineIds.ALL_OFFLINE_GATEWAY).condition("no", not(AWAIT_SATISFIED))
        .userTask(SendCscsOfflineIds.HANDLE_STILL_ALIVE).name("CSCs still alive")
        .camundaFormRef("cscs-still-alive").camundaFormRefBinding("deployment")
        .camundaCandidateGroups(FullUpgradeIds.OPERATORS)
        .exclusiveGateway(SendCscsOfflineIds.STILL_ALIVE_DECISION_GATEWAY).name("Decision")
        .condition("check again", is(STILL_ALIVE_DECISION, Decisions.CHECK_AGAIN))
        .connectTo(SendCscsOfflineIds.AWAIT_OFFLINE)
        .moveToNode(SendCscsOfflineIds.STILL_ALIVE_DECISION_GATEWAY)
        .condition("handled by hand", "${" + STILL_ALIVE_DECISION + " != '" + Decisions.CHECK_AGAIN + "'}")
        .serviceTask(SendCscsOfflineIds.RECORD_HANDLED_BY_HAND).name("Record: handled by hand")
        .camundaDelegateExpression("${recordHandledByHand}")
        .endEvent(SendCscsOfflineIds.END_HANDLED_BY_HAND).name("CSCs OFFLINE (some by hand)")
        .done();
    scriptCall(m, SendCscsOfflineIds.RUN_SHUTDOWN_SCRIPT, v(SHUTDOWN_SCRIPT_PATH), v(SHUTDOWN_SCRIPT_CONFIG_JSON),
        "cscs-offline", "Send CSCs OFFLINE");
    scriptCall(m, SendCscsOfflineIds.RUN_QUEUES_SCRIPT, ScriptConfigs.SET_SUMMARY_STATE,
        v(QUEUES_SCRIPT_CONFIG_JSON), "queues-offline", "Send the other ScriptQueues OFFLINE");
    awaitCall(m, SendCscsOfflineIds.AWAIT_OFFLINE, OFFLINE_EXPECTATIONS, OFFLINE_TIMEOUT);
    return m;
  }

  static BpmnModelInstance syncApp() {
    var b = process(SyncAppIds.APP_KEY, "Sync an Argo CD app").startEvent(SyncAppIds.APP_START);
    BpmnModelInstance m = service(service(b, SyncAppIds.START_SYNC, "Start the sync", "startAppSync"),
        SyncAppIds.CHECK_SYNC, "Check the sync", "checkAppSync")
        .exclusiveGateway(SyncAppIds.SYNC_DONE_GATEWAY).name("Synced?")
        .condition("yes", v(SYNC_DONE)).endEvent(SyncAppIds.APP_END).name("App synced")
        .moveToNode(SyncAppIds.SYNC_DONE_GATEWAY).condition("no", not(SYNC_DONE))
        .intermediateCatchEvent(SyncAppIds.POLL_TIMER).name("Poll interval").timerWithDuration(POLL)
        .connectTo(SyncAppIds.CHECK_SYNC)
        .moveToActivity(SyncAppIds.CHECK_SYNC)
        .boundaryEvent(SyncAppIds.SYNC_FAILED).name("Sync failed or timed out").error(FullUpgradeIds.SYNC_FAILED)
        .userTask(SyncAppIds.HANDLE_SYNC_FAILURE).name("Sync failed: retry, skip or abort?")
        .camundaFormRef("sync-failed").camundaFormRefBinding("deployment")
        .camundaCandidateGroups(FullUpgradeIds.OPERATORS)
        .exclusiveGateway(SyncAppIds.SYNC_DECISION_GATEWAY).name("Decision")
        .condition("retry", is(SYNC_DECISION, Decisions.RETRY)).connectTo(SyncAppIds.START_SYNC)
        .moveToNode(SyncAppIds.SYNC_DECISION_GATEWAY).condition("skip", is(SYNC_DECISION, Decisions.SKIP))
        .serviceTask(SyncAppIds.NOTICE_SKIPPED).name("Announce: sync skipped")
        .camundaDelegateExpression("${postNotice}").camundaAsyncBefore().camundaFailedJobRetryTimeCycle(RETRY)
        .camundaInputParameter(NOTICE_KIND, PostNotice.Kind.SYNC_SKIPPED.name())
        .endEvent(SyncAppIds.APP_END_SKIPPED).name("Sync skipped")
        .moveToNode(SyncAppIds.SYNC_DECISION_GATEWAY).condition("abort", is(SYNC_DECISION, Decisions.ABORT))
        .endEvent(SyncAppIds.APP_END_ABORTED).name("Upgrade aborted").error(FullUpgradeIds.ABORT_ERROR)
        .done();
    return m;
  }

  static BpmnModelInstance syncAppsInOrder() {
    var b = process(SyncAppIds.ORDER_KEY, "Sync Argo CD apps in order").startEvent(SyncAppIds.ORDER_START);
    BpmnModelInstance m = b
        .serviceTask(SyncAppIds.DEFAULT_LISTS).name("Missing list: none").camundaDelegateExpression("${defaultAppLists}")
        .callActivity(SyncAppIds.SYNC_SEQUENTIALLY).name("Sync one after the other").calledElement(SyncAppIds.APP_KEY)
        .multiInstance().sequential().camundaCollection(v(SYNC_SEQUENCE)).camundaElementVariable(APP).multiInstanceDone()
        .callActivity(SyncAppIds.SYNC_IN_PARALLEL).name("Sync the rest in parallel").calledElement(SyncAppIds.APP_KEY)
        .multiInstance().parallel().camundaCollection(v(SYNC_PARALLEL)).camundaElementVariable(APP).multiInstanceDone()
        .endEvent(SyncAppIds.ORDER_END).name("Apps synced")
        .done();
    for (String id : new String[] {SyncAppIds.SYNC_SEQUENTIALLY, SyncAppIds.SYNC_IN_PARALLEL}) {
      in(m, id, SITE, RUN_ID, CYCLE, POLL_INTERVAL, APP);
    }
    return m;
  }

  static BpmnModelInstance relax() {
    var b = process(SchemaCompatibilityIds.RELAX_KEY, "Relax schema compatibility")
        .startEvent(SchemaCompatibilityIds.RELAX_START);
    BpmnModelInstance m = service(service(b, SchemaCompatibilityIds.RECORD, "Record the compatibility", "recordCompatibility"),
        SchemaCompatibilityIds.RELAX, "Set compatibility NONE", "relaxCompatibility")
        .endEvent(SchemaCompatibilityIds.RELAX_END).name("Compatibility NONE")
        .done();
    restoreOnEnd(m, SchemaCompatibilityIds.RELAX_KEY, SchemaCompatibilityIds.ON_CANCEL);
    return m;
  }

  /** The {@link CompatibilityRestorePlugin}'s opt-in: a process extension property. */
  private static void restoreOnEnd(BpmnModelInstance m, String processKey, String mode) {
    Process process = m.getModelElementById(processKey);
    CamundaProperties props = m.newInstance(CamundaProperties.class);
    CamundaProperty restore = m.newInstance(CamundaProperty.class);
    restore.setCamundaName(SchemaCompatibilityIds.RESTORE_ON_END_PROPERTY);
    restore.setCamundaValue(mode);
    props.addChildElement(restore);
    process.builder().addExtensionElement(props);
  }

  static BpmnModelInstance restore() {
    var b = process(SchemaCompatibilityIds.RESTORE_KEY, "Restore schema compatibility")
        .startEvent(SchemaCompatibilityIds.RESTORE_START);
    return service(b, SchemaCompatibilityIds.RESTORE, "Restore the recorded compatibility", "restoreCompatibility")
        .endEvent(SchemaCompatibilityIds.RESTORE_END).name("Compatibility restored")
        .done();
  }

  // ---------------------------------------------------------------- full-upgrade

  private static ServiceTaskBuilder notice(AbstractFlowNodeBuilder<?, ?> b, String id, String name, PostNotice.Kind kind) {
    return service(b, id, name, "postNotice").camundaInputParameter(NOTICE_KIND, kind.name());
  }

  private static ServiceTaskBuilder hostStep(AbstractFlowNodeBuilder<?, ?> b, String id, String name, RunHostCommands.Step step) {
    return service(b, id, name, "runHostCommands").camundaInputParameter(HOST_STEP, step.name());
  }

  static BpmnModelInstance fullUpgrade() {
    var start = process(FullUpgradeIds.KEY, "Full upgrade (Deploying the Upgrade)")
        .startEvent(FullUpgradeIds.START).name("Upgrade requested");
    // 1. start, 2. safety preconditions
    AbstractFlowNodeBuilder<?, ?> b = notice(start.serviceTask(FullUpgradeIds.PLAN).name("Plan the run from the site file")
            .camundaDelegateExpression("${planFullUpgrade}"),
        FullUpgradeIds.ANNOUNCE_START, "Announce the start", PostNotice.Kind.START)
        .exclusiveGateway(FullUpgradeIds.M2_GATEWAY).name("M2 closed loop needed?")
        .condition("yes", v(CONFIRM_M2_CLOSED_LOOP));
    b = confirmation(b, FullUpgradeIds.CONFIRM_M2_CLOSED_LOOP, "Confirm M2 in closed-loop control", "confirm-m2-closed-loop",
        FullUpgradeIds.OPERATORS, M2_CLOSED_LOOP_CONFIRMED)
        .exclusiveGateway(FullUpgradeIds.M2_JOIN)
        .moveToNode(FullUpgradeIds.M2_GATEWAY).condition("no", not(CONFIRM_M2_CLOSED_LOOP))
        .connectTo(FullUpgradeIds.M2_JOIN)
        .exclusiveGateway(FullUpgradeIds.HELD_STATES_GATEWAY).name("Held CSCs?")
        .condition("yes", v(HAS_HELD_STATES));
    b = service(b, FullUpgradeIds.CHECK_HELD_STATES, "Check MTM1M3TS/MTM1M3 held states", "checkHeldStates")
        .exclusiveGateway(FullUpgradeIds.HELD_STATES_OK_GATEWAY).name("Held states right?")
        .condition("yes", v(HELD_STATES_OK))
        .exclusiveGateway(FullUpgradeIds.HELD_STATES_JOIN)
        .moveToNode(FullUpgradeIds.HELD_STATES_OK_GATEWAY).condition("not known yet", not(HELD_STATES_KNOWN))
        .intermediateCatchEvent(FullUpgradeIds.HELD_STATES_TIMER).name("Poll interval").timerWithDuration(POLL)
        .connectTo(FullUpgradeIds.CHECK_HELD_STATES)
        .moveToNode(FullUpgradeIds.HELD_STATES_OK_GATEWAY).condition("wrong",
            "${" + HELD_STATES_KNOWN + " && !" + HELD_STATES_OK + "}");
    b = user(b, FullUpgradeIds.FIX_HELD_STATES, "Fix the held states or override", "fix-held-states",
        FullUpgradeIds.OPERATORS)
        .camundaTaskListenerDelegateExpression("complete", "${validateHeldStatesDecision}")
        .exclusiveGateway(FullUpgradeIds.HELD_STATES_DECISION_GATEWAY).name("Decision")
        .condition("check again", is(HELD_STATES_DECISION, Decisions.CHECK_AGAIN))
        .connectTo(FullUpgradeIds.CHECK_HELD_STATES)
        .moveToNode(FullUpgradeIds.HELD_STATES_DECISION_GATEWAY).condition("override",
            is(HELD_STATES_DECISION, Decisions.OVERRIDE))
        .connectTo(FullUpgradeIds.HELD_STATES_JOIN)
        .moveToNode(FullUpgradeIds.HELD_STATES_DECISION_GATEWAY).condition("abort",
            is(HELD_STATES_DECISION, Decisions.ABORT))
        .endEvent(FullUpgradeIds.ABORT_AFTER_HELD_STATES).name("Aborted").error(FullUpgradeIds.ABORT_ERROR)
        .moveToNode(FullUpgradeIds.HELD_STATES_GATEWAY).condition("no", not(HAS_HELD_STATES))
        .connectTo(FullUpgradeIds.HELD_STATES_JOIN)
        // 3. offline
        .callActivity(FullUpgradeIds.SEND_CSCS_OFFLINE).name("Send all CSCs OFFLINE")
        .calledElement(SendCscsOfflineIds.KEY)
        // 4. clean-up, in parallel; the camera branch joins again before the camera start-up
        .parallelGateway(FullUpgradeIds.CLEANUP_FORK).name("Clean up")
        .exclusiveGateway(FullUpgradeIds.CAMERA_GATEWAY).name("Camera bridges?")
        .condition("yes", v(HAS_CAMERA_BRIDGES));
    b = hostStep(b, FullUpgradeIds.STOP_CAMERA_BRIDGES, "Stop the camera OCS bridges", RunHostCommands.Step.CAMERA_SHUTDOWN);
    b = notice(b, FullUpgradeIds.NOTIFY_STAGE1, "Notify camera team: Stage 1", PostNotice.Kind.CAMERA_STAGE1);
    b = confirmation(b, FullUpgradeIds.CAMERA_STAGE1, "Camera upgrade Stage 1", "camera-stage1", FullUpgradeIds.CAMERA_TEAM,
        CAMERA_STAGE1_DONE)
        .exclusiveGateway(FullUpgradeIds.CAMERA_SKIP_JOIN)
        .parallelGateway(FullUpgradeIds.DEPLOY_JOIN).name("Deployed")
        .moveToNode(FullUpgradeIds.CAMERA_GATEWAY).condition("no", not(HAS_CAMERA_BRIDGES))
        .connectTo(FullUpgradeIds.CAMERA_SKIP_JOIN)
        // bare metal
        .moveToNode(FullUpgradeIds.CLEANUP_FORK)
        .exclusiveGateway(FullUpgradeIds.BARE_METAL_GATEWAY).name("Bare-metal services?")
        .condition("yes", v(HAS_BARE_METAL_SERVICES));
    b = hostStep(b, FullUpgradeIds.SHUTDOWN_BARE_METAL, "Shut down bare-metal services", RunHostCommands.Step.BARE_METAL_SHUTDOWN)
        .exclusiveGateway(FullUpgradeIds.BARE_METAL_JOIN)
        .parallelGateway(FullUpgradeIds.CLEANUP_JOIN).name("Cleaned up")
        .moveToNode(FullUpgradeIds.BARE_METAL_GATEWAY).condition("no", not(HAS_BARE_METAL_SERVICES))
        .connectTo(FullUpgradeIds.BARE_METAL_JOIN)
        // kubernetes
        .moveToNode(FullUpgradeIds.CLEANUP_FORK);
    b = service(b, FullUpgradeIds.CLEANUP_KUBERNETES, "Kubernetes cleanup_all (verified)", "cleanUpCluster")
        .camundaInputParameter(CLEANUP_TARGET, "ALL")
        .exclusiveGateway(FullUpgradeIds.KUBERNETES_JOIN)
        .connectTo(FullUpgradeIds.CLEANUP_JOIN)
        .moveToActivity(FullUpgradeIds.CLEANUP_KUBERNETES)
        .boundaryEvent(FullUpgradeIds.KUBERNETES_LEFTOVERS).name("Left over").error(FullUpgradeIds.CLEANUP_INCOMPLETE);
    b = user(b, FullUpgradeIds.REVIEW_KUBERNETES_LEFTOVERS, "Review what cleanup_all left", "cleanup-leftovers",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.KUBERNETES_DECISION_GATEWAY).name("Decision")
        .condition("retry", is(CLEANUP_DECISION, Decisions.RETRY)).connectTo(FullUpgradeIds.CLEANUP_KUBERNETES)
        .moveToNode(FullUpgradeIds.KUBERNETES_DECISION_GATEWAY).condition("continue",
            "${" + CLEANUP_DECISION + " != '" + Decisions.RETRY + "'}")
        .connectTo(FullUpgradeIds.KUBERNETES_JOIN)
        // nublado
        .moveToNode(FullUpgradeIds.CLEANUP_FORK);
    b = service(b, FullUpgradeIds.CLEANUP_NUBLADO, "cleanup_nublado (verified)", "cleanUpCluster")
        .camundaInputParameter(CLEANUP_TARGET, "NUBLADO")
        .exclusiveGateway(FullUpgradeIds.NUBLADO_JOIN)
        .connectTo(FullUpgradeIds.CLEANUP_JOIN)
        .moveToActivity(FullUpgradeIds.CLEANUP_NUBLADO)
        .boundaryEvent(FullUpgradeIds.NUBLADO_LEFTOVERS).name("Left over").error(FullUpgradeIds.CLEANUP_INCOMPLETE);
    b = user(b, FullUpgradeIds.REVIEW_NUBLADO_LEFTOVERS, "Review what cleanup_nublado left", "cleanup-leftovers",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.NUBLADO_DECISION_GATEWAY).name("Decision")
        .condition("retry", is(CLEANUP_DECISION, Decisions.RETRY)).connectTo(FullUpgradeIds.CLEANUP_NUBLADO)
        .moveToNode(FullUpgradeIds.NUBLADO_DECISION_GATEWAY).condition("continue",
            "${" + CLEANUP_DECISION + " != '" + Decisions.RETRY + "'}")
        .connectTo(FullUpgradeIds.NUBLADO_JOIN)
        // 5. configuration
        .moveToNode(FullUpgradeIds.CLEANUP_JOIN);
    b = confirmation(b, FullUpgradeIds.CONFIRM_PHALANX_MERGED, "Confirm the Phalanx PR is merged", "confirm-phalanx-merged",
        FullUpgradeIds.OPERATORS, PHALANX_MERGED)
        .exclusiveGateway(FullUpgradeIds.REPOS_GATEWAY).name("Bare-metal repositories?")
        .condition("yes", v(HAS_BARE_METAL_REPOS));
    b = hostStep(b, FullUpgradeIds.UPDATE_BARE_METAL_REPOS, "update_repo on the bare-metal hosts", RunHostCommands.Step.UPDATE_REPOS)
        .exclusiveGateway(FullUpgradeIds.REPOS_JOIN)
        .moveToNode(FullUpgradeIds.REPOS_GATEWAY).condition("no", not(HAS_BARE_METAL_REPOS))
        .connectTo(FullUpgradeIds.REPOS_JOIN)
        // 6. schema compatibility
        .exclusiveGateway(FullUpgradeIds.BREAKING_GATEWAY).name("Breaking schema change?")
        .condition("yes", v(BREAKING_SCHEMA_CHANGE))
        .callActivity(FullUpgradeIds.RELAX_COMPATIBILITY).name("Record compatibility, set NONE")
        .calledElement(SchemaCompatibilityIds.RELAX_KEY)
        .exclusiveGateway(FullUpgradeIds.BREAKING_JOIN)
        .moveToNode(FullUpgradeIds.BREAKING_GATEWAY).condition("no", not(BREAKING_SCHEMA_CHANGE))
        .connectTo(FullUpgradeIds.BREAKING_JOIN)
        // 7. deploy
        .exclusiveGateway(FullUpgradeIds.CONTROLLERS_GATEWAY).name("ESS controllers or cRIOs?")
        .condition("yes", "${" + HAS_ESS_CONTROLLERS + " || " + HAS_CRIOS + "}");
    b = user(b, FullUpgradeIds.CHOOSE_CONTROLLER_UPDATES, "ESS controllers and cRIOs: update or already done?",
        "choose-controller-updates", FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.CONTROLLERS_JOIN)
        .moveToNode(FullUpgradeIds.CONTROLLERS_GATEWAY).condition("no", "${!" + HAS_ESS_CONTROLLERS + " && !" + HAS_CRIOS + "}")
        .connectTo(FullUpgradeIds.CONTROLLERS_JOIN)
        .parallelGateway(FullUpgradeIds.DEPLOY_FORK).name("Deploy")
        // ESS controllers
        .exclusiveGateway(FullUpgradeIds.ESS_GATEWAY).name("Update ESS controllers?")
        .condition("yes", "${" + HAS_ESS_CONTROLLERS + " && " + UPDATE_ESS_CONTROLLERS + "}");
    b = hostStep(b, FullUpgradeIds.UPDATE_ESS_CONTROLLERS, "Update the ESS controllers", RunHostCommands.Step.ESS_UPDATE)
        .exclusiveGateway(FullUpgradeIds.ESS_JOIN)
        .connectTo(FullUpgradeIds.DEPLOY_JOIN)
        .moveToNode(FullUpgradeIds.ESS_GATEWAY).condition("no", "${!" + HAS_ESS_CONTROLLERS + " || !" + UPDATE_ESS_CONTROLLERS + "}")
        .connectTo(FullUpgradeIds.ESS_JOIN)
        // cRIOs
        .moveToNode(FullUpgradeIds.DEPLOY_FORK)
        .exclusiveGateway(FullUpgradeIds.CRIOS_GATEWAY).name("Update cRIOs?")
        .condition("yes", "${" + HAS_CRIOS + " && " + UPDATE_CRIOS + "}");
    b = service(service(b, FullUpgradeIds.START_CRIO_REBUILDS, "Start the cRIO rebuilds (detached)", "startCrioRebuilds"),
        FullUpgradeIds.CHECK_CRIO_REBUILDS, "Check the cRIO rebuilds", "checkCrioRebuilds")
        .exclusiveGateway(FullUpgradeIds.CRIOS_DONE_GATEWAY).name("Rebuilt?")
        .condition("yes", v(CRIOS_DONE));
    b = hostStep(b, FullUpgradeIds.START_CRIOS, "Start the cRIO services", RunHostCommands.Step.CRIO_STARTUP)
        .exclusiveGateway(FullUpgradeIds.CRIOS_JOIN)
        .connectTo(FullUpgradeIds.DEPLOY_JOIN)
        .moveToNode(FullUpgradeIds.CRIOS_DONE_GATEWAY).condition("no", not(CRIOS_DONE))
        .intermediateCatchEvent(FullUpgradeIds.CRIO_TIMER).name("Poll interval").timerWithDuration(POLL)
        .connectTo(FullUpgradeIds.CHECK_CRIO_REBUILDS)
        .moveToNode(FullUpgradeIds.CRIOS_GATEWAY).condition("no", "${!" + HAS_CRIOS + " || !" + UPDATE_CRIOS + "}")
        .connectTo(FullUpgradeIds.CRIOS_JOIN)
        .moveToActivity(FullUpgradeIds.CHECK_CRIO_REBUILDS)
        .boundaryEvent(FullUpgradeIds.CRIO_FAILED).name("Rebuild failed").error(FullUpgradeIds.CRIO_REBUILD_FAILED);
    b = user(b, FullUpgradeIds.HANDLE_CRIO_FAILURE, "cRIO rebuild failed", "crio-rebuild-failed", FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.CRIO_DECISION_GATEWAY).name("Decision")
        .condition("retry", is(CRIO_DECISION, Decisions.RETRY)).connectTo(FullUpgradeIds.START_CRIO_REBUILDS)
        .moveToNode(FullUpgradeIds.CRIO_DECISION_GATEWAY).condition("handled by hand", is(CRIO_DECISION, Decisions.HANDLED_BY_HAND))
        .connectTo(FullUpgradeIds.CRIOS_JOIN)
        .moveToNode(FullUpgradeIds.CRIO_DECISION_GATEWAY).condition("abort", is(CRIO_DECISION, Decisions.ABORT))
        .endEvent("EndEvent_AbortAtCrios").name("Aborted").error(FullUpgradeIds.ABORT_ERROR)
        // Argo CD
        .moveToNode(FullUpgradeIds.DEPLOY_FORK)
        .callActivity(FullUpgradeIds.SYNC_PLATFORM_APPS).name("Sync science-platform, then nublado")
        .calledElement(SyncAppIds.ORDER_KEY);
    b = user(b, FullUpgradeIds.CONFIRM_SASQUATCH_SYNC, "Sasquatch: are its pending changes wanted?",
        "confirm-sasquatch-sync", FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.SASQUATCH_GATEWAY).name("Sync sasquatch?")
        .condition("yes", v(SYNC_SASQUATCH))
        .callActivity(FullUpgradeIds.SYNC_SASQUATCH).name("Sync sasquatch").calledElement(SyncAppIds.APP_KEY)
        .exclusiveGateway(FullUpgradeIds.SASQUATCH_JOIN)
        .moveToNode(FullUpgradeIds.SASQUATCH_GATEWAY).condition("skip", not(SYNC_SASQUATCH))
        .connectTo(FullUpgradeIds.SASQUATCH_JOIN)
        .callActivity(FullUpgradeIds.SYNC_TELESCOPE_APPS).name("Sync telescope apps: control-system-test, LOVE, then the rest")
        .calledElement(SyncAppIds.ORDER_KEY)
        .connectTo(FullUpgradeIds.DEPLOY_JOIN)
        // after the deployment: camera services, Stage 2, bare-metal services
        .moveToNode(FullUpgradeIds.DEPLOY_JOIN)
        .exclusiveGateway(FullUpgradeIds.CAMERA_STARTUP_GATEWAY).name("Camera bridges?")
        .condition("yes", v(HAS_CAMERA_BRIDGES));
    b = confirmation(b, FullUpgradeIds.START_CAMERA_SERVICES, "Start the camera services", "start-camera-services",
        FullUpgradeIds.CAMERA_TEAM, CAMERA_SERVICES_STARTED);
    b = notice(b, FullUpgradeIds.NOTIFY_STAGE2, "Notify camera team: Stage 2", PostNotice.Kind.CAMERA_STAGE2)
        .exclusiveGateway(FullUpgradeIds.CAMERA_STARTUP_JOIN)
        .moveToNode(FullUpgradeIds.CAMERA_STARTUP_GATEWAY).condition("no", not(HAS_CAMERA_BRIDGES))
        .connectTo(FullUpgradeIds.CAMERA_STARTUP_JOIN)
        .exclusiveGateway(FullUpgradeIds.BARE_METAL_STARTUP_GATEWAY).name("Bare-metal services?")
        .condition("yes", v(HAS_BARE_METAL_SERVICES));
    b = hostStep(b, FullUpgradeIds.START_BARE_METAL, "Start the bare-metal services", RunHostCommands.Step.BARE_METAL_STARTUP)
        .exclusiveGateway(FullUpgradeIds.BARE_METAL_STARTUP_JOIN)
        .moveToNode(FullUpgradeIds.BARE_METAL_STARTUP_GATEWAY).condition("no", not(HAS_BARE_METAL_SERVICES))
        .connectTo(FullUpgradeIds.BARE_METAL_STARTUP_JOIN)
        // 8. monitor
        .callActivity(FullUpgradeIds.AWAIT_CSCS_UP).name("Monitor: every CSC up")
        .calledElement(AwaitCscStatesIds.KEY)
        .exclusiveGateway(FullUpgradeIds.ALL_UP_GATEWAY).name("All up?")
        .condition("yes", v(AWAIT_SATISFIED))
        .exclusiveGateway(FullUpgradeIds.MONITOR_JOIN)
        .moveToNode(FullUpgradeIds.ALL_UP_GATEWAY).condition("no", not(AWAIT_SATISFIED));
    b = notice(b, FullUpgradeIds.REPORT_UNHEALTHY, "Report CSCs in non-working order", PostNotice.Kind.UNHEALTHY_CSCS);
    b = user(b, FullUpgradeIds.CONTINUE_AFTER_MONITOR, "CSCs not up: continue?", "monitor-timeout", FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.MONITOR_DECISION_GATEWAY).name("Decision")
        .condition("check again", is(MONITOR_DECISION, Decisions.CHECK_AGAIN)).connectTo(FullUpgradeIds.AWAIT_CSCS_UP)
        .moveToNode(FullUpgradeIds.MONITOR_DECISION_GATEWAY).condition("abort", is(MONITOR_DECISION, Decisions.ABORT))
        .endEvent(FullUpgradeIds.ABORT_AFTER_MONITOR).name("Aborted").error(FullUpgradeIds.ABORT_ERROR)
        .moveToNode(FullUpgradeIds.MONITOR_DECISION_GATEWAY).condition("continue", is(MONITOR_DECISION, Decisions.CONTINUE))
        .connectTo(FullUpgradeIds.MONITOR_JOIN)
        // 9. enable
        .exclusiveGateway(FullUpgradeIds.ENABLE_GATEWAY).name("CSCs to enable?")
        .condition("yes", "${" + ENABLE_SCRIPT_CONFIG_JSON + " != null}")
        .callActivity(FullUpgradeIds.ENABLE_SITE_CSCS).name("Enable the site's CSCs (set_summary_state.py)")
        .calledElement(RunScriptIds.KEY)
        .exclusiveGateway(FullUpgradeIds.ENABLE_JOIN)
        .moveToNode(FullUpgradeIds.ENABLE_GATEWAY).condition("no", "${" + ENABLE_SCRIPT_CONFIG_JSON + " == null}")
        .connectTo(FullUpgradeIds.ENABLE_JOIN);
    // 10. finish
    b = user(b, FullUpgradeIds.DECIDE_INTEGRATION_TESTING, "Integration testing next?", "integration-testing",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(FullUpgradeIds.INTEGRATION_GATEWAY).name("Integration testing next?")
        .condition("no", not(INTEGRATION_TESTING_NEXT));
    b = notice(b, FullUpgradeIds.ANNOUNCE_NUBLADO, "Announce: Nublado can be used again", PostNotice.Kind.NUBLADO_AVAILABLE)
        .exclusiveGateway(FullUpgradeIds.INTEGRATION_JOIN)
        .moveToNode(FullUpgradeIds.INTEGRATION_GATEWAY).condition("yes", v(INTEGRATION_TESTING_NEXT))
        .connectTo(FullUpgradeIds.INTEGRATION_JOIN)
        .exclusiveGateway(FullUpgradeIds.RESTORE_GATEWAY).name("Compatibility relaxed?")
        .condition("yes", "${" + COMPATIBILITY_RELAXED + " && !" + COMPATIBILITY_RESTORED + "}")
        .callActivity(FullUpgradeIds.RESTORE_COMPATIBILITY).name("Restore the recorded compatibility")
        .calledElement(SchemaCompatibilityIds.RESTORE_KEY)
        .exclusiveGateway(FullUpgradeIds.RESTORE_JOIN)
        .moveToNode(FullUpgradeIds.RESTORE_GATEWAY).condition("no", "${!" + COMPATIBILITY_RELAXED + " || " + COMPATIBILITY_RESTORED + "}")
        .connectTo(FullUpgradeIds.RESTORE_JOIN);
    BpmnModelInstance m = notice(b, FullUpgradeIds.POST_SUMMARY, "Post the run's summary", PostNotice.Kind.SUMMARY)
        .endEvent(FullUpgradeIds.END).name("Upgrade done")
        .done();

    // abort: an interrupting error event sub-process ends the whole run (every branch)
    Process process = m.getModelElementById(FullUpgradeIds.KEY);
    notice(process.builder().eventSubProcess(FullUpgradeIds.ABORTED_SUBPROCESS).name("Upgrade aborted")
            .startEvent(FullUpgradeIds.ABORTED_START).name("Aborted").error(FullUpgradeIds.ABORT_ERROR),
        FullUpgradeIds.ANNOUNCE_ABORTED, "Announce the abort", PostNotice.Kind.ABORTED)
        .endEvent(FullUpgradeIds.ABORTED_END).name("Upgrade aborted");

    restoreOnEnd(m, FullUpgradeIds.KEY, "true");

    // variable mappings of the call activities
    in(m, FullUpgradeIds.SEND_CSCS_OFFLINE, SITE, RUN_ID, CYCLE, STARTED_BY, SCRIPT_QUEUE, POLL_INTERVAL, OFFLINE_TIMEOUT);
    out(m, FullUpgradeIds.SEND_CSCS_OFFLINE, CSCS_HANDLED_BY_HAND);
    in(m, FullUpgradeIds.RELAX_COMPATIBILITY, SITE, RUN_ID, UNDELIVERED_NOTICES);
    out(m, FullUpgradeIds.RELAX_COMPATIBILITY, RECORDED_COMPATIBILITY, COMPATIBILITY_RELAXED, COMPATIBILITY_RESTORED,
        UNDELIVERED_NOTICES);
    in(m, FullUpgradeIds.RESTORE_COMPATIBILITY, SITE, RUN_ID, RECORDED_COMPATIBILITY);
    out(m, FullUpgradeIds.RESTORE_COMPATIBILITY, COMPATIBILITY_RESTORED);
    in(m, FullUpgradeIds.SYNC_PLATFORM_APPS, SITE, RUN_ID, CYCLE, POLL_INTERVAL);
    inExpr(m, FullUpgradeIds.SYNC_PLATFORM_APPS, SYNC_SEQUENCE, v(PLATFORM_APPS));
    in(m, FullUpgradeIds.SYNC_SASQUATCH, SITE, RUN_ID, CYCLE, POLL_INTERVAL);
    inExpr(m, FullUpgradeIds.SYNC_SASQUATCH, APP, v(SASQUATCH_APP));
    in(m, FullUpgradeIds.SYNC_TELESCOPE_APPS, SITE, RUN_ID, CYCLE, POLL_INTERVAL);
    inExpr(m, FullUpgradeIds.SYNC_TELESCOPE_APPS, SYNC_SEQUENCE, v(TELESCOPE_FIRST_APPS));
    inExpr(m, FullUpgradeIds.SYNC_TELESCOPE_APPS, SYNC_PARALLEL, v(TELESCOPE_OTHER_APPS));
    awaitCall(m, FullUpgradeIds.AWAIT_CSCS_UP, MONITOR_EXPECTATIONS, MONITOR_TIMEOUT);
    scriptCall(m, FullUpgradeIds.ENABLE_SITE_CSCS, ScriptConfigs.SET_SUMMARY_STATE, v(ENABLE_SCRIPT_CONFIG_JSON),
        "enable", "Enable the site's CSCs");
    concurrent(m, FullUpgradeIds.STOP_CAMERA_BRIDGES, FullUpgradeIds.SHUTDOWN_BARE_METAL,
        FullUpgradeIds.CLEANUP_KUBERNETES, FullUpgradeIds.CLEANUP_NUBLADO, FullUpgradeIds.UPDATE_ESS_CONTROLLERS,
        FullUpgradeIds.START_CRIO_REBUILDS, FullUpgradeIds.CHECK_CRIO_REBUILDS, FullUpgradeIds.START_CRIOS);
    return m;
  }

  /**
   * Long remote steps of parallel branches really run side by side: not exclusive (the engine runs
   * one exclusive job per process instance at a time), and asyncAfter, so the step commits on its
   * own and only the cheap continuation to the join can lose a locking race (and is run again).
   * Only idempotent steps that write no variable a sibling writes qualify (notices do not: a
   * repeated one would be posted twice).
   */
  private static void concurrent(BpmnModelInstance m, String... ids) {
    for (String id : ids) {
      org.camunda.bpm.model.bpmn.instance.ServiceTask t = m.getModelElementById(id);
      t.setCamundaExclusive(false);
      t.setCamundaAsyncAfter(true);
    }
  }

  // ---------------------------------------------------------------- incremental-upgrade

  static BpmnModelInstance incrementalUpgrade() {
    var start = process(IncrementalUpgradeIds.KEY, "Incremental upgrade (Deploying an Incremental Upgrade)")
        .startEvent(IncrementalUpgradeIds.START).name("Incremental upgrade requested");
    AbstractFlowNodeBuilder<?, ?> b = start.serviceTask(IncrementalUpgradeIds.PLAN).name("Plan the run from the site file")
        .camundaDelegateExpression("${planIncrementalUpgrade}")
        .callActivity(IncrementalUpgradeIds.SEND_OFFLINE).name("Watcher, affected CSCs, then the ScriptQueues OFFLINE")
        .calledElement(SendCscsOfflineIds.KEY);
    b = service(b, IncrementalUpgradeIds.DELETE_JOBS, "Delete the affected Jobs and the ScriptQueue Jobs (verified)",
        "deleteCscJobs")
        .exclusiveGateway(IncrementalUpgradeIds.JOBS_JOIN)
        .moveToActivity(IncrementalUpgradeIds.DELETE_JOBS)
        .boundaryEvent(IncrementalUpgradeIds.JOBS_LEFT).name("Left over").error(FullUpgradeIds.CLEANUP_INCOMPLETE);
    b = user(b, IncrementalUpgradeIds.REVIEW_JOBS_LEFT, "Review the Jobs left over", "cleanup-leftovers",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(IncrementalUpgradeIds.JOBS_DECISION_GATEWAY).name("Decision")
        .condition("retry", is(CLEANUP_DECISION, Decisions.RETRY)).connectTo(IncrementalUpgradeIds.DELETE_JOBS)
        .moveToNode(IncrementalUpgradeIds.JOBS_DECISION_GATEWAY)
        .condition("continue", "${" + CLEANUP_DECISION + " != '" + Decisions.RETRY + "'}")
        .connectTo(IncrementalUpgradeIds.JOBS_JOIN);
    b = confirmation(b, IncrementalUpgradeIds.CONFIGURATIONS_UPDATED, "Update the configurations", "configurations-updated",
        FullUpgradeIds.OPERATORS, IncrementalUpgradeIds.CONFIGURATIONS_UPDATED_VAR)
        .callActivity(IncrementalUpgradeIds.SYNC_APPS).name("Sync the ScriptQueues' and the affected CSCs' apps")
        .calledElement(SyncAppIds.ORDER_KEY)
        .callActivity(IncrementalUpgradeIds.AWAIT_UP).name("Await STANDBY (ScriptQueues ENABLED)")
        .calledElement(AwaitCscStatesIds.KEY)
        .exclusiveGateway(IncrementalUpgradeIds.UP_GATEWAY).name("All up?")
        .condition("yes", v(AWAIT_SATISFIED))
        .exclusiveGateway(IncrementalUpgradeIds.UP_JOIN)
        .moveToNode(IncrementalUpgradeIds.UP_GATEWAY).condition("no", not(AWAIT_SATISFIED));
    b = user(b, IncrementalUpgradeIds.CONTINUE_AFTER_AWAIT, "CSCs not up: continue?", "monitor-timeout",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(IncrementalUpgradeIds.AWAIT_DECISION_GATEWAY).name("Decision")
        .condition("check again", is(MONITOR_DECISION, Decisions.CHECK_AGAIN)).connectTo(IncrementalUpgradeIds.AWAIT_UP)
        .moveToNode(IncrementalUpgradeIds.AWAIT_DECISION_GATEWAY).condition("abort", is(MONITOR_DECISION, Decisions.ABORT))
        .endEvent(IncrementalUpgradeIds.END_ABORTED).name("Aborted")
        .moveToNode(IncrementalUpgradeIds.AWAIT_DECISION_GATEWAY).condition("continue", is(MONITOR_DECISION, Decisions.CONTINUE))
        .connectTo(IncrementalUpgradeIds.UP_JOIN)
        .exclusiveGateway(IncrementalUpgradeIds.WATCHER_GATEWAY).name("Watcher?")
        .condition("yes", v(IncrementalUpgradeIds.HAS_WATCHER))
        .callActivity(IncrementalUpgradeIds.WATCHER_BACK).name("Watcher ENABLED again (set_summary_state.py)")
        .calledElement(RunScriptIds.KEY)
        .exclusiveGateway(IncrementalUpgradeIds.WATCHER_JOIN)
        .moveToNode(IncrementalUpgradeIds.WATCHER_GATEWAY).condition("no", not(IncrementalUpgradeIds.HAS_WATCHER))
        .connectTo(IncrementalUpgradeIds.WATCHER_JOIN)
        .exclusiveGateway(IncrementalUpgradeIds.TEST_STAND_GATEWAY).name("Test stand?")
        .condition("yes", v(IncrementalUpgradeIds.TEST_STAND))
        .callActivity(IncrementalUpgradeIds.MINIMAL_TESTING).name("Minimal testing of the changed telescope")
        .calledElement(MinimalTestingIds.PROCESS);
    b = service(b, IncrementalUpgradeIds.CHECK_TOPICS, "Check the new topics exist on the broker", "checkNewTopics")
        .exclusiveGateway(IncrementalUpgradeIds.CYCLE_GATEWAY + "Needed").name("CSCs to cycle?")
        .condition("yes", "${" + IncrementalUpgradeIds.CYCLE_CONFIG_JSON + " != null}")
        .callActivity(IncrementalUpgradeIds.CYCLE_STATES).name("Cycle the affected CSCs: DISABLED, ENABLED, DISABLED, STANDBY")
        .calledElement(RunScriptIds.KEY)
        .exclusiveGateway(IncrementalUpgradeIds.CYCLE_GATEWAY).name("Script succeeded?")
        .condition("yes", v(SCRIPT_SUCCEEDED))
        .callActivity(IncrementalUpgradeIds.CHECK_NO_FAULT).name("Await STANDBY (none in FAULT)")
        .calledElement(AwaitCscStatesIds.KEY)
        .exclusiveGateway(IncrementalUpgradeIds.NO_FAULT_GATEWAY).name("All STANDBY?")
        .condition("yes", v(AWAIT_SATISFIED))
        .exclusiveGateway(IncrementalUpgradeIds.TEST_STAND_JOIN)
        .endEvent(IncrementalUpgradeIds.END).name("Incremental upgrade done")
        .moveToNode(IncrementalUpgradeIds.NO_FAULT_GATEWAY).condition("no", not(AWAIT_SATISFIED))
        .endEvent(IncrementalUpgradeIds.END_CSC_FAULTED).name("Failed: a CSC went to FAULT while cycling")
        .moveToNode(IncrementalUpgradeIds.CYCLE_GATEWAY).condition("no", not(SCRIPT_SUCCEEDED))
        .connectTo(IncrementalUpgradeIds.END_CSC_FAULTED)
        .moveToNode(IncrementalUpgradeIds.CYCLE_GATEWAY + "Needed")
        .condition("no", "${" + IncrementalUpgradeIds.CYCLE_CONFIG_JSON + " == null}")
        .connectTo(IncrementalUpgradeIds.TEST_STAND_JOIN)
        .moveToNode(IncrementalUpgradeIds.TEST_STAND_GATEWAY).condition("no", not(IncrementalUpgradeIds.TEST_STAND))
        .connectTo(IncrementalUpgradeIds.TEST_STAND_JOIN);
    BpmnModelInstance m = b.done();
    m.<CallActivity>getModelElementById(IncrementalUpgradeIds.MINIMAL_TESTING).builder()
        .boundaryEvent(IncrementalUpgradeIds.MINIMAL_TESTING_FAILED).name("Minimal testing failed")
        .error(MinimalTestingIds.ERROR_MINIMAL_TESTING_FAILED)
        .endEvent(IncrementalUpgradeIds.END_MINIMAL_TESTING_FAILED).name("Failed: minimal testing");
    abortedSubProcess(m, IncrementalUpgradeIds.KEY, IncrementalUpgradeIds.ABORTED_SUBPROCESS,
        IncrementalUpgradeIds.ABORTED_START, IncrementalUpgradeIds.ANNOUNCE_ABORTED, IncrementalUpgradeIds.ABORTED_END);

    in(m, IncrementalUpgradeIds.SEND_OFFLINE, SITE, RUN_ID, CYCLE, STARTED_BY, SCRIPT_QUEUE, POLL_INTERVAL, OFFLINE_TIMEOUT,
        CSCS);
    out(m, IncrementalUpgradeIds.SEND_OFFLINE, CSCS_HANDLED_BY_HAND);
    in(m, IncrementalUpgradeIds.SYNC_APPS, SITE, RUN_ID, CYCLE, POLL_INTERVAL);
    inExpr(m, IncrementalUpgradeIds.SYNC_APPS, SYNC_PARALLEL, v(IncrementalUpgradeIds.AFFECTED_APPS));
    awaitCall(m, IncrementalUpgradeIds.AWAIT_UP, IncrementalUpgradeIds.AFFECTED_EXPECTATIONS, MONITOR_TIMEOUT);
    scriptCall(m, IncrementalUpgradeIds.WATCHER_BACK, ScriptConfigs.SET_SUMMARY_STATE,
        v(IncrementalUpgradeIds.WATCHER_BACK_CONFIG_JSON), "watcher-back", "Bring the Watcher back");
    in(m, IncrementalUpgradeIds.MINIMAL_TESTING, SITE, RUN_ID, CYCLE, STARTED_BY, RunProcesses.VAR_TELESCOPES);
    out(m, IncrementalUpgradeIds.MINIMAL_TESTING, MinimalTestingIds.VAR_PASSED, MinimalTestingIds.VAR_REPORT);
    scriptCall(m, IncrementalUpgradeIds.CYCLE_STATES, ScriptConfigs.SET_SUMMARY_STATE,
        v(IncrementalUpgradeIds.CYCLE_CONFIG_JSON), "cycle-states", "Cycle the affected CSCs through their states");
    awaitCall(m, IncrementalUpgradeIds.CHECK_NO_FAULT, IncrementalUpgradeIds.AFFECTED_STANDBY, OFFLINE_TIMEOUT);
    inExpr(m, IncrementalUpgradeIds.CHECK_NO_FAULT, AWAIT_STOP_ON_FAULT, "${true}");
    out(m, IncrementalUpgradeIds.CHECK_NO_FAULT, AWAIT_FAULTED);
    return m;
  }

  /** An interrupting error event sub-process: an operator's abort anywhere ends the run, announced. */
  private static void abortedSubProcess(BpmnModelInstance m, String key, String subId, String startId, String noticeId,
      String endId) {
    Process process = m.getModelElementById(key);
    notice(process.builder().eventSubProcess(subId).name("Aborted")
            .startEvent(startId).name("Aborted").error(FullUpgradeIds.ABORT_ERROR),
        noticeId, "Announce the abort", PostNotice.Kind.ABORTED)
        .endEvent(endId).name("Aborted");
  }

  // ---------------------------------------------------------------- os-k8s-recovery

  static BpmnModelInstance osK8sRecovery() {
    var start = process(OsK8sRecoveryIds.KEY, "Recovery after an OS/K8s upgrade")
        .startEvent(OsK8sRecoveryIds.START).name("Recovery requested");
    AbstractFlowNodeBuilder<?, ?> b = start.serviceTask(OsK8sRecoveryIds.PLAN).name("Plan the run from the site file")
        .camundaDelegateExpression("${planOsK8sRecovery}");
    b = service(b, OsK8sRecoveryIds.CLEANUP_KUBERNETES, "Clean the Jobs left running (cleanup_all, verified)",
        "cleanUpCluster").camundaInputParameter(CLEANUP_TARGET, "ALL")
        .exclusiveGateway(OsK8sRecoveryIds.CLEANUP_JOIN)
        .moveToActivity(OsK8sRecoveryIds.CLEANUP_KUBERNETES)
        .boundaryEvent(OsK8sRecoveryIds.KUBERNETES_LEFTOVERS).name("Left over").error(FullUpgradeIds.CLEANUP_INCOMPLETE);
    b = user(b, OsK8sRecoveryIds.REVIEW_LEFTOVERS, "Review what cleanup_all left", "cleanup-leftovers",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(OsK8sRecoveryIds.LEFTOVERS_DECISION_GATEWAY).name("Decision")
        .condition("retry", is(CLEANUP_DECISION, Decisions.RETRY)).connectTo(OsK8sRecoveryIds.CLEANUP_KUBERNETES)
        .moveToNode(OsK8sRecoveryIds.LEFTOVERS_DECISION_GATEWAY)
        .condition("continue", "${" + CLEANUP_DECISION + " != '" + Decisions.RETRY + "'}")
        .connectTo(OsK8sRecoveryIds.CLEANUP_JOIN)
        .callActivity(OsK8sRecoveryIds.SYNC_PLATFORM_APPS).name("Sync science-platform, then nublado")
        .calledElement(SyncAppIds.ORDER_KEY)
        .callActivity(OsK8sRecoveryIds.SYNC_TELESCOPE_APPS).name("Sync telescope apps: control-system-test, LOVE, then the rest")
        .calledElement(SyncAppIds.ORDER_KEY)
        .exclusiveGateway(OsK8sRecoveryIds.SUMMIT_GATEWAY).name("Summit hosts?")
        .condition("yes", v(OsK8sRecoveryIds.SUMMIT_RECOVERY));
    b = hostStep(b, OsK8sRecoveryIds.START_CRIOS, "Start the cRIO services", RunHostCommands.Step.CRIO_RECOVERY);
    b = service(b, OsK8sRecoveryIds.RESTART_AZAR03, "Restart the CSCs on azar03", "restartHostCscs");
    b = service(b, OsK8sRecoveryIds.REBOOT_AZAR02, "Reboot azar02", "rebootHost");
    b = service(b, OsK8sRecoveryIds.CHECK_HOST_BACK, "Is azar02 back?", "checkHostBack")
        .exclusiveGateway(OsK8sRecoveryIds.HOST_BACK_GATEWAY).name("Back?")
        .condition("yes", v(OsK8sRecoveryIds.HOST_BACK))
        .exclusiveGateway(OsK8sRecoveryIds.HOST_BACK_JOIN)
        .moveToNode(OsK8sRecoveryIds.HOST_BACK_GATEWAY).condition("not yet",
            "${!" + OsK8sRecoveryIds.HOST_BACK + " && !" + OsK8sRecoveryIds.HOST_BACK_TIMED_OUT + "}")
        .intermediateCatchEvent(OsK8sRecoveryIds.HOST_BACK_TIMER).name("Poll interval").timerWithDuration(POLL)
        .connectTo(OsK8sRecoveryIds.CHECK_HOST_BACK)
        .moveToNode(OsK8sRecoveryIds.HOST_BACK_GATEWAY).condition("deadline passed",
            "${!" + OsK8sRecoveryIds.HOST_BACK + " && " + OsK8sRecoveryIds.HOST_BACK_TIMED_OUT + "}");
    b = user(b, OsK8sRecoveryIds.HOST_NOT_BACK, "azar02 not back", "host-not-back", FullUpgradeIds.OPERATORS)
        .exclusiveGateway(OsK8sRecoveryIds.HOST_DECISION_GATEWAY).name("Decision")
        .condition("check again", is(OsK8sRecoveryIds.HOST_DECISION, Decisions.CHECK_AGAIN))
        .connectTo(OsK8sRecoveryIds.CHECK_HOST_BACK)
        .moveToNode(OsK8sRecoveryIds.HOST_DECISION_GATEWAY).condition("continue",
            is(OsK8sRecoveryIds.HOST_DECISION, Decisions.CONTINUE))
        .connectTo(OsK8sRecoveryIds.HOST_BACK_JOIN)
        .moveToNode(OsK8sRecoveryIds.HOST_DECISION_GATEWAY).condition("abort",
            is(OsK8sRecoveryIds.HOST_DECISION, Decisions.ABORT))
        .endEvent(OsK8sRecoveryIds.END_ABORTED).name("Aborted")
        .moveToNode(OsK8sRecoveryIds.HOST_BACK_JOIN);
    b = confirmation(b, OsK8sRecoveryIds.CONFIRM_M2_BEFORE_HEXROT, "M2 is ENABLED: only now reboot the Hexrot VM",
        "m2-enabled-before-hexrot", FullUpgradeIds.OPERATORS, OsK8sRecoveryIds.M2_ENABLED)
        .exclusiveGateway(OsK8sRecoveryIds.SUMMIT_JOIN)
        .moveToNode(OsK8sRecoveryIds.SUMMIT_GATEWAY).condition("no", not(OsK8sRecoveryIds.SUMMIT_RECOVERY))
        .connectTo(OsK8sRecoveryIds.SUMMIT_JOIN)
        .callActivity(OsK8sRecoveryIds.AWAIT_CSCS_UP).name("Monitor: every CSC up")
        .calledElement(AwaitCscStatesIds.KEY)
        .exclusiveGateway(OsK8sRecoveryIds.ALL_UP_GATEWAY).name("All up?")
        .condition("yes", v(AWAIT_SATISFIED))
        .exclusiveGateway(OsK8sRecoveryIds.MONITOR_JOIN)
        .moveToNode(OsK8sRecoveryIds.ALL_UP_GATEWAY).condition("no", not(AWAIT_SATISFIED));
    b = user(b, OsK8sRecoveryIds.CONTINUE_AFTER_MONITOR, "CSCs not up: continue?", "monitor-timeout",
        FullUpgradeIds.OPERATORS)
        .exclusiveGateway(OsK8sRecoveryIds.MONITOR_DECISION_GATEWAY).name("Decision")
        .condition("check again", is(MONITOR_DECISION, Decisions.CHECK_AGAIN)).connectTo(OsK8sRecoveryIds.AWAIT_CSCS_UP)
        .moveToNode(OsK8sRecoveryIds.MONITOR_DECISION_GATEWAY).condition("abort", is(MONITOR_DECISION, Decisions.ABORT))
        .connectTo(OsK8sRecoveryIds.END_ABORTED)
        .moveToNode(OsK8sRecoveryIds.MONITOR_DECISION_GATEWAY).condition("continue", is(MONITOR_DECISION, Decisions.CONTINUE))
        .connectTo(OsK8sRecoveryIds.MONITOR_JOIN)
        .exclusiveGateway(OsK8sRecoveryIds.TEST_STAND_GATEWAY).name("Test stand?")
        .condition("yes", v(IncrementalUpgradeIds.TEST_STAND))
        .callActivity(OsK8sRecoveryIds.MINIMAL_TESTING).name("Minimal testing of both telescopes")
        .calledElement(MinimalTestingIds.PROCESS)
        .exclusiveGateway(OsK8sRecoveryIds.TEST_STAND_JOIN)
        .endEvent(OsK8sRecoveryIds.END).name("Control system recovered")
        .moveToNode(OsK8sRecoveryIds.TEST_STAND_GATEWAY).condition("no", not(IncrementalUpgradeIds.TEST_STAND))
        .connectTo(OsK8sRecoveryIds.TEST_STAND_JOIN);
    BpmnModelInstance m = b.done();
    m.<CallActivity>getModelElementById(OsK8sRecoveryIds.MINIMAL_TESTING).builder()
        .boundaryEvent(OsK8sRecoveryIds.MINIMAL_TESTING_FAILED).name("Minimal testing failed")
        .error(MinimalTestingIds.ERROR_MINIMAL_TESTING_FAILED)
        .endEvent(OsK8sRecoveryIds.END_MINIMAL_TESTING_FAILED).name("Failed: minimal testing");
    abortedSubProcess(m, OsK8sRecoveryIds.KEY, OsK8sRecoveryIds.ABORTED_SUBPROCESS, OsK8sRecoveryIds.ABORTED_START,
        OsK8sRecoveryIds.ANNOUNCE_ABORTED, OsK8sRecoveryIds.ABORTED_END);

    in(m, OsK8sRecoveryIds.SYNC_PLATFORM_APPS, SITE, RUN_ID, CYCLE, POLL_INTERVAL);
    inExpr(m, OsK8sRecoveryIds.SYNC_PLATFORM_APPS, SYNC_SEQUENCE, v(PLATFORM_APPS));
    in(m, OsK8sRecoveryIds.SYNC_TELESCOPE_APPS, SITE, RUN_ID, CYCLE, POLL_INTERVAL);
    inExpr(m, OsK8sRecoveryIds.SYNC_TELESCOPE_APPS, SYNC_SEQUENCE, v(TELESCOPE_FIRST_APPS));
    inExpr(m, OsK8sRecoveryIds.SYNC_TELESCOPE_APPS, SYNC_PARALLEL, v(TELESCOPE_OTHER_APPS));
    awaitCall(m, OsK8sRecoveryIds.AWAIT_CSCS_UP, MONITOR_EXPECTATIONS, MONITOR_TIMEOUT);
    in(m, OsK8sRecoveryIds.MINIMAL_TESTING, SITE, RUN_ID, CYCLE, STARTED_BY, RunProcesses.VAR_TELESCOPES);
    out(m, OsK8sRecoveryIds.MINIMAL_TESTING, MinimalTestingIds.VAR_PASSED, MinimalTestingIds.VAR_REPORT);
    return m;
  }

  // ---------------------------------------------------------------- files

  /** The model as XML with the builder's random ids replaced by stable ones. */
  static String xml(BpmnModelInstance model) {
    // the builder names unnamed elements after their id: clear those labels from the diagram
    for (var e : model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.FlowElement.class)) {
      if (e.getName() != null && e.getName().equals(e.getId())) {
        e.setName(null);
      }
    }
    String xml = Bpmn.convertToString(model);
    Pattern generated = Pattern.compile("([A-Za-z]+)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    Map<String, String> renamed = new LinkedHashMap<>();
    Map<String, Integer> counters = new LinkedHashMap<>();
    Matcher mt = generated.matcher(xml);
    StringBuilder out = new StringBuilder();
    while (mt.find()) {
      String stable = renamed.computeIfAbsent(mt.group(), g -> {
        int n = counters.merge(mt.group(1), 1, Integer::sum);
        return mt.group(1) + "_" + n;
      });
      mt.appendReplacement(out, Matcher.quoteReplacement(stable));
    }
    mt.appendTail(out);
    return out.toString().replace("\r\n", "\n");
  }

  static Path file(Path processesDir, String key) {
    return processesDir.resolve(key + ".bpmn");
  }

  static void writeAll(Path processesDir) throws IOException {
    Files.createDirectories(processesDir);
    for (var e : all().entrySet()) {
      Files.writeString(file(processesDir, e.getKey()), xml(e.getValue()));
    }
  }
}
