package org.lsst.ts.upgrade.runbook.engine;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.HistoricActivityInstanceQueryImpl;
import org.camunda.bpm.engine.impl.Page;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.lsst.ts.upgrade.runbook.BpmnErrors;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps on every run how it ended ({@link RunVariables#RUN_OUTCOME}), and for an operator's abort
 * who aborted it, at which step and why ({@link RunVariables#ABORTED_BY}, {@link
 * RunVariables#ABORT_STEP}, {@link RunVariables#ABORT_REASON}), so the run API answers ABORTED and
 * the abort notice names them. An abort is any error end event throwing
 * {@link BpmnErrors#UPGRADE_ABORTED}: it follows the decision task in the same transaction, so the
 * engine's authenticated user is the person who completed that task. Built-in listeners: no
 * delegate to name in the BPMN, and they run even when Cockpit skips custom listeners.
 */
@Component
public class AbortRecorder extends AbstractProcessEnginePlugin {
  private static final Logger log = LoggerFactory.getLogger(AbortRecorder.class);
  static final String ABORT_ERROR_REF = "Error_UpgradeAborted";

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseProcess(Element processElement, ProcessDefinitionEntity definition) {
        // a run is a root instance (the run API's door starts only run processes): checked when it starts or ends
        definition.addBuiltInListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) AbortRecorder::runStarted);
        definition.addBuiltInListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) AbortRecorder::runEnded);
      }

      @Override
      public void parseEndEvent(Element endEventElement, ScopeImpl scope, ActivityImpl activity) {
        Element error = endEventElement.element("errorEventDefinition");
        if (error != null && ABORT_ERROR_REF.equals(error.attribute("errorRef"))) {
          activity.addBuiltInListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) AbortRecorder::aborted);
        }
      }
    });
  }

  private static void runStarted(DelegateExecution execution) {
    if (isRun(execution)) {
      execution.setVariable(RUN_OUTCOME, "RUNNING");
    }
  }

  private static void runEnded(DelegateExecution execution) {
    if (!isRun(execution)) {
      return;
    }
    if (execution.isCanceled()) {
      execution.setVariable(RUN_OUTCOME, "CANCELLED");
    } else if (!"ABORTED".equals(execution.getVariable(RUN_OUTCOME))) {
      execution.setVariable(RUN_OUTCOME, "COMPLETED");
    }
  }

  private static void aborted(DelegateExecution execution) {
    ExecutionEntity root = root((ExecutionEntity) execution);
    CommandContext command = Context.getCommandContext();
    String user = command.getAuthenticatedUserId();
    // the engine's own bookkeeping, in this command: not filtered by what the person who aborted may
    // read (the autopilot, or a user without READ_HISTORY, found no decision: the step was "Run aborted")
    HistoricActivityInstance decision = command.runWithoutAuthorization(() -> {
      HistoricActivityInstanceQueryImpl query = new HistoricActivityInstanceQueryImpl();
      query.processInstanceId(execution.getProcessInstanceId()).activityType("userTask")
          .orderByHistoricActivityInstanceStartTime().desc();
      return query.executeList(command, new Page(0, 1)).stream().findFirst().orElse(null);
    });
    if (user == null && decision != null && decision.getTaskId() != null) {
      user = decision.getAssignee();
    }
    String step = decision == null ? execution.getCurrentActivityName() : decision.getActivityName();
    String stage = execution.getProcessDefinitionId().substring(0, execution.getProcessDefinitionId().indexOf(':'));
    Object given = execution.getVariable(ABORT_REASON);
    String reason = given == null || given.toString().isBlank() ? "no reason given" : given.toString();
    // on every process from this one up to the run: an error leaving a called process applies its
    // out mappings ("all" in the stages), which would bring back a stage's copy of the outcome
    for (ExecutionEntity pi = ((ExecutionEntity) execution).getProcessInstance(); pi != null;
        pi = pi.getSuperExecution() == null ? null : pi.getSuperExecution().getProcessInstance()) {
      pi.setVariableLocal(RUN_OUTCOME, "ABORTED");
      pi.setVariableLocal(ABORTED_BY, user == null ? "an operator" : user);
      pi.setVariableLocal(ABORT_STEP, (step == null ? "?" : step) + " (" + stage + ")");
      pi.setVariableLocal(ABORT_REASON, reason);
    }
    log.info("run {} aborted by {} at '{}'", root.getBusinessKey(), user, step);
  }

  /** A run: a root instance started with a site (the run API's door starts only those). */
  private static boolean isRun(DelegateExecution execution) {
    return ((ExecutionEntity) execution).getProcessInstance().getSuperExecution() == null
        && execution.hasVariable(SITE);
  }

  private static ExecutionEntity root(ExecutionEntity execution) {
    ExecutionEntity pi = execution.getProcessInstance();
    while (pi.getSuperExecution() != null) {
      pi = pi.getSuperExecution().getProcessInstance();
    }
    return pi;
  }
}
