package org.lsst.ts.upgrade.metrics;

import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
class MetricsConfiguration {

  @Bean
  FilterRegistrationBean<MetricsAuthenticationFilter> metricsAuthenticationFilter(MetricsProperties properties,
      ObjectProvider<ProcessEngine> engine) {
    var registration = new FilterRegistrationBean<>(
        new MetricsAuthenticationFilter(properties, () -> engine.getObject().getIdentityService()));
    registration.setName("upgrade-metrics-authentication");
    registration.addUrlPatterns("/actuator", "/actuator/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
