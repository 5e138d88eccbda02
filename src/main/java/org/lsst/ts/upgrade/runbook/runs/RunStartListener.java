package org.lsst.ts.upgrade.runbook.runs;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.lsst.ts.upgrade.runbook.engine.RunDoor;
import org.springframework.stereotype.Component;

/**
 * A run starts through the run API or not at all: every process gets a built-in start listener
 * (built in, so {@code skipCustomListeners} does not skip it) that refuses the start of a process
 * instance of its own, unless the run API opened {@link RunDoor} for it, when it is a run process
 * ({@link RunProcesses#ALL}) or a person asked for it. A stage called by its run is not a start
 * of its own. In the application only: the engine-level test harness starts processes directly.
 */
@Component
class RunStartListener extends AbstractProcessEnginePlugin implements ExecutionListener {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<BpmnParseListener> listeners = new ArrayList<>();
    if (configuration.getCustomPreBPMNParseListeners() != null) {
      listeners.addAll(configuration.getCustomPreBPMNParseListeners());
    }
    listeners.add(new AbstractBpmnParseListener() {
      @Override
      public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
        processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_START, RunStartListener.this);
      }
    });
    configuration.setCustomPreBPMNParseListeners(listeners);
  }

  @Override
  public void notify(DelegateExecution execution) {
    if (RunDoor.isOpen() || !(execution instanceof ExecutionEntity e) || !e.isProcessInstanceExecution()
        || e.getSuperExecution() != null || e.getSuperCaseExecution() != null) {
      return;
    }
    String key = e.getProcessDefinition().getKey();
    String person = Context.getCommandContext() == null ? null : Context.getCommandContext().getAuthenticatedUserId();
    if (RunProcesses.ALL.contains(key) || person != null) {
      throw new AuthorizationException("A " + key + " run starts through the run API (POST /api/runs, or /upgrade in "
          + "Slack), which checks its inputs, the caller's right and the site's one active run"
          + (person == null ? "" : "; not started for " + person));
    }
  }
}
