package org.lsst.ts.upgrade.runbook.schema;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.notices.PostNotice;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.schemaregistry.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Restores the recorded schema compatibility however a run ends: error end, or cancellation from
 * Cockpit. Processes opt in with the extension property
 * {@value SchemaCompatibilityRelaxIds#RESTORE_ON_END_PROPERTY}{@code =true}. The end listener is
 * added as a <em>built-in</em> listener, so it runs even when Cockpit cancels with "skip custom
 * listeners" (its default). A normal end restores in the BPMN first; this then finds nothing to do.
 *
 * <p>The relax sub-process opts in with {@code =cancelled}: its variables reach the run only when it
 * completes, so a run cancelled while "set NONE" is stuck (an incident after the registry may
 * already have changed) is restored from the sub-process's own recorded level.
 */
@Component
public class CompatibilityRestorePlugin extends AbstractProcessEnginePlugin {
  private static final Logger log = LoggerFactory.getLogger(CompatibilityRestorePlugin.class);

  private final Supplier<SchemaRegistry> registry;
  private final Supplier<Notifier> notifier;

  CompatibilityRestorePlugin(ObjectProvider<SchemaRegistry> registry, ObjectProvider<Notifier> notifier) {
    this.registry = registry::getObject;
    this.notifier = notifier::getIfAvailable;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new java.util.ArrayList<>());
    }
    configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
        String mode = optIn(processElement);
        if ("true".equalsIgnoreCase(mode)) {
          processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) CompatibilityRestorePlugin.this::onEnd);
        } else if (SchemaCompatibilityRelaxIds.ON_CANCEL.equalsIgnoreCase(mode)) {
          processDefinition.addBuiltInListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) e -> {
            if (e.isCanceled()) {
              onCancelWhileRelaxing(e);
            }
          });
        }
      }
    });
  }

  /** The value of the opt-in property, or null. */
  static String optIn(Element processElement) {
    Element ext = processElement.element("extensionElements");
    if (ext == null) {
      return null;
    }
    for (Element properties : ext.elements()) {
      if (!"properties".equals(properties.getTagName())) {
        continue;
      }
      for (Element p : properties.elements()) {
        if (SchemaCompatibilityRelaxIds.RESTORE_ON_END_PROPERTY.equals(p.attribute("name"))) {
          return p.attribute("value");
        }
      }
    }
    return null;
  }

  void onEnd(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    if (!v.flag(COMPATIBILITY_RELAXED) || v.flag(COMPATIBILITY_RESTORED) || !v.has(RECORDED_COMPATIBILITY)) {
      return;
    }
    restore(execution, v);
  }

  /** Whether "set NONE" went through or not, the recorded level is put back (setting it is idempotent). */
  void onCancelWhileRelaxing(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    if (v.has(RECORDED_COMPATIBILITY) && !v.flag(COMPATIBILITY_RESTORED)) {
      restore(execution, v);
    }
  }

  private void restore(DelegateExecution execution, RunVariables v) {
    String site = v.site();
    String level = v.string(RECORDED_COMPATIBILITY);
    String how = execution.isCanceled() ? "was cancelled" : "ended early";
    try {
      registry.get().setCompatibility(site, level);
      log.info("Run {} {}: schema compatibility restored to {}", v.stringOr(RUN_ID, "?"), how, level);
      // in the run's Slack thread; the run's last word (it ends now): told even when Slack is back only later
      PostNotice.post(notifier, site, null, ":leftwards_arrow_with_hook: Run " + v.stringOr(RUN_ID, "?") + " " + how
          + ": the schema registry's compatibility was restored to " + level + ".", v.stringOr(RUN_ID, null),
          "COMPATIBILITY_RESTORED", true, false);
    } catch (RuntimeException e) {
      log.error("Run {} {}: schema compatibility could NOT be restored to {}", v.stringOr(RUN_ID, "?"), how, level, e);
      if (!execution.isCanceled()) {
        throw e; // error end: the ending step fails, is retried, and becomes an incident
      }
      // a cancellation must not be refused because the registry is down: tell the people instead
      PostNotice.post(notifier, site, null, ":rotating_light: Run " + v.stringOr(RUN_ID, "?") + " was cancelled but the "
          + "schema registry's compatibility could not be restored to " + level + " (" + e.getMessage()
          + "). Set it back by hand.", v.stringOr(RUN_ID, null), "COMPATIBILITY_NOT_RESTORED", true, true);
    }
  }
}
