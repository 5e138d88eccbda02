package org.lsst.ts.upgrade.rehearsal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.lsst.ts.upgrade.ApiException;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The twin's control API ({@code /rehearsal/**}) is for operators and administrators: the
 * autopilot completes operators' tasks, faults and resets change what a run sees. Every change
 * (any method but GET) is in the twin's action log as system {@value #SYSTEM}, with who made it.
 */
@Configuration(proxyBeanMethods = false)
@Profile("rehearsal")
class RehearsalControlAccess implements WebMvcConfigurer, HandlerInterceptor {
  static final String SYSTEM = "control";
  static final List<String> ALLOWED = List.of(Groups.OPERATORS, Groups.CAMUNDA_ADMIN);

  private final ProcessEngine engine;
  private final ActionLog actions;

  RehearsalControlAccess(ProcessEngine engine, ActionLog actions) {
    this.engine = engine;
    this.actions = actions;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/rehearsal/**");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    Authentication caller = engine.getIdentityService().getCurrentAuthentication();
    List<String> groups = caller == null || caller.getGroupIds() == null ? List.of() : caller.getGroupIds();
    if (caller == null || groups.stream().noneMatch(ALLOWED::contains)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "the twin's control API is for operators and administrators; "
          + (caller == null ? "nobody" : "'" + caller.getUserId() + "'") + " may not use it");
    }
    return true;
  }

  @Override
  public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
      return;
    }
    Authentication caller = engine.getIdentityService().getCurrentAuthentication();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("user", caller == null ? null : caller.getUserId());
    params.put("status", response.getStatus());
    if (request.getQueryString() != null) {
      params.put("query", request.getQueryString());
    }
    // no site: the twin's per-site logs (what the orchestrator did) stay as they were
    actions.record(null, SYSTEM, request.getRequestURI(), request.getMethod(), params);
  }
}
