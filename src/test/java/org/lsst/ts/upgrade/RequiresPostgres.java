package org.lsst.ts.upgrade;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test only when the local PostgreSQL (127.0.0.1:5432, or {@code UPGRADE_TEST_PG_HOST}/
 * {@code _PORT}) accepts connections; skipped with the reason otherwise. Under CI ({@code CI=true})
 * it always runs, so a missing database fails the build instead of silently skipping.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

  String HOST = System.getenv().getOrDefault("UPGRADE_TEST_PG_HOST", "127.0.0.1");
  int PORT = Integer.parseInt(System.getenv().getOrDefault("UPGRADE_TEST_PG_PORT", "5432"));

  class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        return ConditionEvaluationResult.enabled("CI=true: PostgreSQL tests are mandatory");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, PORT), 1000);
        return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + HOST + ":" + PORT);
      } catch (IOException e) {
        return ConditionEvaluationResult.disabled("PostgreSQL not reachable at " + HOST + ":" + PORT + " ("
            + e.getMessage() + "); skipped outside CI (set CI=true to make it mandatory)");
      }
    }
  }
}
