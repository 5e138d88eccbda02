package org.lsst.ts.upgrade.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * Binds every request (webapps included, which resolve engines through the same provider) to this
 * application context's engine; see {@link RequestProcessEngine}.
 */
class EngineBindingFilter implements Filter {
  private final Supplier<ProcessEngine> engine;

  EngineBindingFilter(Supplier<ProcessEngine> engine) {
    this.engine = engine;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    RequestProcessEngine.bound(engine.get(), () -> chain.doFilter(request, response));
  }
}
