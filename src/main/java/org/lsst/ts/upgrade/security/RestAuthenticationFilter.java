package org.lsst.ts.upgrade.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;

/**
 * Camunda's HTTP Basic filter (users and groups of the engine's identity service), bound to this
 * application context's engine instead of a static lookup by name. While the request runs, the
 * caller is the engine's authenticated user, so authorization checks apply to everything it does.
 */
class RestAuthenticationFilter extends ProcessEngineAuthenticationFilter {
  /** Resolved at the first request, so the web server's start does not build the engine early. */
  private final Supplier<ProcessEngine> engine;

  RestAuthenticationFilter(Supplier<ProcessEngine> engine) {
    this.engine = engine;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    RequestProcessEngine.bound(engine.get(), () -> super.doFilter(request, response, chain));
  }

  @Override
  protected ProcessEngine getAddressedEngine(String engineName) {
    ProcessEngine engine = this.engine.get();
    if (engineName == null || ProcessEngines.NAME_DEFAULT.equals(engineName) || engine.getName().equals(engineName)) {
      return engine;
    }
    return super.getAddressedEngine(engineName);
  }
}
