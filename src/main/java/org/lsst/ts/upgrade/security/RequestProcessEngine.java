package org.lsst.ts.upgrade.security;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.camunda.bpm.engine.ProcessEngine;

/**
 * The process engine of the application context that is serving the current request. Set by
 * {@link RestAuthenticationFilter}; read by {@link RequestProcessEngineProvider}, so the REST API
 * never resolves "default" to an engine of another application context in the same JVM (tests,
 * engine-level test engines), which Camunda's static engine registry would otherwise do.
 */
final class RequestProcessEngine {
  private static final ThreadLocal<ProcessEngine> CURRENT = new ThreadLocal<>();

  private RequestProcessEngine() {}

  static ProcessEngine get() {
    return CURRENT.get();
  }

  static void set(ProcessEngine engine) {
    CURRENT.set(engine);
  }

  static void clear() {
    CURRENT.remove();
  }

  /** The rest of a filter chain. */
  interface Chain {
    void proceed() throws IOException, ServletException;
  }

  /** Runs the chain with the engine bound, then puts back whatever was bound before. */
  static void bound(ProcessEngine engine, Chain chain) throws IOException, ServletException {
    ProcessEngine previous = get();
    set(engine);
    try {
      chain.proceed();
    } finally {
      if (previous == null) {
        clear();
      } else {
        set(previous);
      }
    }
  }
}
