package org.lsst.ts.upgrade.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;

/**
 * Camunda's HTTP Basic filter (users and groups of the engine's identity service), bound to this
 * application context's engine instead of a static lookup by name. While the request runs, the
 * caller is the engine's authenticated user, so authorization checks apply to everything it does.
 * The run-history reads also accept the webapps' session ({@link WebappSessionReads}).
 */
class RestAuthenticationFilter extends ProcessEngineAuthenticationFilter {
  /** Resolved at the first request, so the web server's start does not build the engine early. */
  private final Supplier<ProcessEngine> engine;

  RestAuthenticationFilter(Supplier<ProcessEngine> engine) {
    this.engine = engine;
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    super.init(filterConfig);
    authenticationProvider = new WebappSessionReads(authenticationProvider);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    ServletResponse r = response;
    // a script of the webapps (it sends their CSRF header) gets its 401 without a Basic challenge,
    // which would make the browser pop up a login dialog over Cockpit
    if (request instanceof HttpServletRequest http && http.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME) != null
        && response instanceof HttpServletResponse httpResponse) {
      r = new NoChallenge(httpResponse);
    }
    ServletResponse filtered = r;
    RequestProcessEngine.bound(engine.get(), () -> super.doFilter(request, filtered, chain));
  }

  private static final class NoChallenge extends HttpServletResponseWrapper {
    NoChallenge(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setHeader(String name, String value) {
      if (!"WWW-Authenticate".equalsIgnoreCase(name)) {
        super.setHeader(name, value);
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if (!"WWW-Authenticate".equalsIgnoreCase(name)) {
        super.addHeader(name, value);
      }
    }
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
