package org.lsst.ts.upgrade.security;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * HTTP Basic against the Camunda identity service on the engine's REST API, the orchestrator's
 * own API and the twin's control API. The webapps (Cockpit, Tasklist, Admin) keep their own
 * session login, which the run-history reads of {@code /api/runs} accept too (for the Cockpit
 * plugin; GET only, with the webapps' CSRF token: {@link WebappSessionReads});
 * {@code /actuator/health} stays open (and shows no details).
 */
@Configuration(proxyBeanMethods = false)
class RestSecurityConfiguration {

  static final String[] PROTECTED = {"/engine-rest/*", "/api/*", "/rehearsal/*"};

  /** Runs first, on every path: webapps and REST resolve this context's engine, not a static one. */
  @Bean
  FilterRegistrationBean<EngineBindingFilter> engineBindingFilter(ObjectProvider<ProcessEngine> engine) {
    var registration = new FilterRegistrationBean<>(new EngineBindingFilter(engine::getObject));
    registration.setName("upgrade-engine-binding");
    registration.addUrlPatterns("/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RestAuthenticationFilter> restAuthenticationFilter(ObjectProvider<ProcessEngine> engine) {
    var registration = new FilterRegistrationBean<>(new RestAuthenticationFilter(engine::getObject));
    registration.setName("upgrade-rest-authentication");
    registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        HttpBasicAuthenticationProvider.class.getName());
    registration.addUrlPatterns(PROTECTED);
    // before everything else that could act on the request (Jersey, Spring MVC)
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
