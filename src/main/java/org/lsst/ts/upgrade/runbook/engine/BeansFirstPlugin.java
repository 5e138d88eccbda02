package org.lsst.ts.upgrade.runbook.engine;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.spring.SpringExpressionManager;
import org.camunda.bpm.impl.juel.jakarta.el.CompositeELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ELContext;
import org.camunda.bpm.impl.juel.jakarta.el.ELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.PropertyNotWritableException;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's beans come before process variables in expressions: {@code ${postNotice}}
 * is the {@code PostNotice} delegate whatever variables a run holds. Camunda looks variables up
 * first, so a variable named like a delegate would otherwise replace the code a step runs.
 * Only the orchestrator's own beans ({@value #OWN_PACKAGE}...) are looked up first: Spring's
 * infrastructure beans ({@code environment}, ...) stay behind the variables as before.
 */
@Component
public class BeansFirstPlugin extends AbstractProcessEnginePlugin {
  static final String OWN_PACKAGE = "org.lsst.ts.upgrade.";

  private final ApplicationContext context;

  BeansFirstPlugin(ApplicationContext context) {
    this.context = context;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setExpressionManager(new BeansFirstExpressionManager(context));
  }

  /** Spring's expression manager with the orchestrator's beans in front. */
  static final class BeansFirstExpressionManager extends SpringExpressionManager {
    private final ApplicationContext context;

    BeansFirstExpressionManager(ApplicationContext context) {
      super(context, null);
      this.context = context;
    }

    @Override
    protected ELResolver createElResolver() {
      CompositeELResolver resolver = new CompositeELResolver();
      resolver.add(new OwnBeans(context));
      resolver.add(super.createElResolver());
      return resolver;
    }
  }

  /** A top-level name that is one of the orchestrator's beans resolves to it. */
  static final class OwnBeans extends ELResolver {
    private final ApplicationContext context;

    OwnBeans(ApplicationContext context) {
      this.context = context;
    }

    @Override
    public Object getValue(ELContext elContext, Object base, Object property) {
      if (base == null && property instanceof String name && isOwnBean(name)) {
        elContext.setPropertyResolved(true);
        return context.getBean(name);
      }
      return null;
    }

    boolean isOwnBean(String name) {
      if (!context.containsBean(name)) {
        return false;
      }
      Class<?> type = context.getType(name);
      return type != null && type.getName().startsWith(OWN_PACKAGE);
    }

    @Override
    public Class<?> getType(ELContext elContext, Object base, Object property) {
      return null;
    }

    @Override
    public void setValue(ELContext elContext, Object base, Object property, Object value) {
      if (base == null && property instanceof String name && isOwnBean(name)) {
        throw new PropertyNotWritableException("bean '" + name + "' cannot be replaced");
      }
    }

    @Override
    public boolean isReadOnly(ELContext elContext, Object base, Object property) {
      if (base == null && property instanceof String name && isOwnBean(name)) {
        elContext.setPropertyResolved(true);
        return true;
      }
      return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext elContext, Object base) {
      return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext elContext, Object base) {
      return Object.class;
    }
  }
}
