package org.lsst.ts.upgrade.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ServiceLoader;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.spi.ProcessEngineProvider;
import org.junit.jupiter.api.Test;

/** The REST API resolves the request's own engine, whatever else Camunda's static registry holds. */
class RequestProcessEngineProviderTests {

  static ProcessEngine engineNamed(String name) {
    return (ProcessEngine) Proxy.newProxyInstance(ProcessEngine.class.getClassLoader(), new Class<?>[] {ProcessEngine.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getName" -> name;
          case "toString" -> "engine " + name;
          case "hashCode" -> name.hashCode();
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void oursIsTheProviderTheRestApiFindsFirst() {
    // EngineUtil takes the first provider ServiceLoader finds; the application's classes come before the starter's jar
    assertThat(ServiceLoader.load(ProcessEngineProvider.class).iterator().next())
        .isInstanceOf(RequestProcessEngineProvider.class);
  }

  @Test
  void theRequestsEngineAnswersForDefaultAndItsOwnName() {
    ProcessEngine mine = engineNamed("mine");
    var provider = new RequestProcessEngineProvider();
    RequestProcessEngine.set(mine);
    try {
      assertThat(provider.getDefaultProcessEngine()).isSameAs(mine);
      assertThat(provider.getProcessEngine("default")).isSameAs(mine);
      assertThat(provider.getProcessEngine("mine")).isSameAs(mine);
      assertThat(provider.getProcessEngine("someone-elses")).isNull();
      assertThat(provider.getProcessEngineNames()).contains("mine");
    } finally {
      RequestProcessEngine.clear();
    }
    assertThat(provider.getProcessEngine("mine")).isNull();
  }
}
