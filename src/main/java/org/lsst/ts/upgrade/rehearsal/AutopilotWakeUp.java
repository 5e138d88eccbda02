package org.lsst.ts.upgrade.rehearsal;

import java.util.ArrayList;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Wakes the {@link Autopilot} when a user task exists, once the transaction that created it has
 * committed (before that the autopilot's query would not see it), so a rehearsal's "person"
 * answers at once rather than at the autopilot's next poll; the poll stays for the tasks of another
 * node and those created before it was switched on. The autopilot is looked up when a task is
 * created: it needs the engine this plugin helps to build.
 */
@Component
@Profile("rehearsal")
class AutopilotWakeUp extends AbstractProcessEnginePlugin {
  private final ObjectProvider<Autopilot> autopilot;

  AutopilotWakeUp(ObjectProvider<Autopilot> autopilot) {
    this.autopilot = autopilot;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior b) {
          b.getTaskDefinition().addBuiltInTaskListener(TaskListener.EVENTNAME_CREATE, task -> Context.getCommandContext()
              .getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
                  committed -> autopilot.ifAvailable(Autopilot::wake)));
        }
      }
    });
  }
}
