package org.lsst.ts.upgrade;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.RuntimeService;

/** Clean-up of the runs a test started on the shared rehearsal context. */
public final class TestRuns {
  private TestRuns() {}

  /**
   * After a test: cancels the runs it started and any minimal-testing run left on {@code site}
   * (one the test started through the API without learning its id).
   */
  public static void cancelLeftovers(RuntimeService runtime, List<String> started, String minimalTestingSite) {
    runtime.createProcessInstanceQuery().processDefinitionKey(org.lsst.ts.upgrade.runbook.runs.RunProcesses.MINIMAL_TESTING)
        .variableValueEquals("site", minimalTestingSite).list().forEach(p -> cancel(runtime, p.getId()));
    started.forEach(pid -> cancel(runtime, pid));
  }

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
