package org.lsst.ts.upgrade.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.spring.SpringExpressionManager;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.spin.plugin.impl.SpinProcessEnginePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Issue 13, attack 2: a variable named like a delegate bean ({@code postNotice}) replaced the code
 * a step runs. With {@link BeansFirstPlugin} the bean runs whatever the run's variables hold.
 */
class BeansFirstPluginTests {
  static final AtomicInteger POSTED = new AtomicInteger();
  static final AtomicInteger IMPOSTOR = new AtomicInteger();

  /** Stands in for PostNotice: one of the orchestrator's beans. */
  public static class PostNotice implements JavaDelegate {
    @Override
    public void execute(DelegateExecution execution) {
      POSTED.incrementAndGet();
    }
  }

  /** What an operator would smuggle in under the bean's name (as Spin JSON, any class Jackson builds). */
  public static class Impostor implements JavaDelegate {
    public String note = "posted nothing";

    @Override
    public void execute(DelegateExecution execution) {
      IMPOSTOR.incrementAndGet();
    }
  }

  final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
  ProcessEngine engine;

  {
    context.registerBean("postNotice", PostNotice.class);
    context.refresh();
  }

  private ProcessEngine engine(List<ProcessEnginePlugin> plugins) {
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "beans-first-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setJobExecutorActivate(false);
    cfg.setExpressionManager(new SpringExpressionManager(context, null)); // as the application's engine has it
    List<ProcessEnginePlugin> all = new java.util.ArrayList<>(List.of(new SpinProcessEnginePlugin()));
    all.addAll(plugins);
    cfg.setProcessEnginePlugins(all);
    engine = cfg.buildProcessEngine();
    engine.getRepositoryService().createDeployment().addModelInstance("notice.bpmn",
        Bpmn.createExecutableProcess("notice").camundaHistoryTimeToLive(1).startEvent()
            .serviceTask("ServiceTask_PostNotice").camundaDelegateExpression("${postNotice}")
            .serviceTask("ServiceTask_ReadSite").camundaExpression("${execution.setVariable('seenSite', site)}")
            .endEvent()
            .done()).deploy();
    return engine;
  }

  private void runWithShadow() {
    POSTED.set(0);
    IMPOSTOR.set(0);
    engine.getRuntimeService().startProcessInstanceByKey("notice", Variables.createVariables()
        .putValue("site", "tts")
        .putValueTyped("postNotice", Variables.objectValue(new Impostor())
            .serializationDataFormat(Variables.SerializationDataFormats.JSON).create()));
  }

  @AfterEach
  void close() {
    engine.close();
    context.close();
  }

  @Test
  void withoutThePluginAVariableShadowsTheBean() {
    engine(List.of());
    runWithShadow();
    assertThat(IMPOSTOR).hasValue(1);
    assertThat(POSTED).hasValue(0);
  }

  @Test
  void theBeanRunsWhateverTheVariablesHoldAndVariablesStillResolve() {
    engine(List.of(new BeansFirstPlugin(context)));
    runWithShadow();
    assertThat(POSTED).hasValue(1);
    assertThat(IMPOSTOR).hasValue(0);
    // variables that are not bean names resolve as before
    assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().variableName("seenSite")
        .singleResult().getValue()).isEqualTo("tts");
  }

  @Test
  void onlyTheOrchestratorsOwnBeansComeFirst() {
    engine(List.of(new BeansFirstPlugin(context)));
    var beans = new BeansFirstPlugin.OwnBeans(context);
    assertThat(beans.isOwnBean("postNotice")).isTrue();
    assertThat(beans.isOwnBean("environment")).isFalse();
    assertThat(beans.isOwnBean("noSuchBean")).isFalse();
  }
}
