package org.lsst.ts.upgrade;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.camunda.bpm.engine.RuntimeService;

/** Clean-up of the runs a test started on the shared rehearsal context. */
public final class TestRuns {
  private TestRuns() {}

  /** Cancels as Cockpit does; retried while the job executor is moving the same run. */
  public static void cancel(RuntimeService runtime, String processInstanceId) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      if (runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0) {
        runtime.deleteProcessInstance(processInstanceId, "cancelled by the test", true, true);
      }
      return true;
    });
  }
}
