package org.lsst.ts.upgrade.runbook.fullupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.runbook.Decisions;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.offline.SendCscsOfflineIds;

/**
 * A Kafka outage during "send CSCs offline" (issue 14, item 3), engine level: while the CSC monitor
 * is blind the OFFLINE check is not passed (even if the statuses it last knew say OFFLINE), the
 * person asked says why, and nothing is deleted; once the monitor sees again the run goes on.
 */
class BlindMonitorProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  @Test
  void aBlindMonitorKeepsTheRunAtTheOfflineCheckAndSaysWhy() {
    h.siteUp("tts");
    AtomicBoolean blind = new AtomicBoolean(true);
    when(h.cscStates.blindness(anyString())).thenAnswer(inv -> blind.get()
        ? Optional.of("no record from tts's Kafka for 42 s (broker 127.0.0.1:9092 unreachable)") : Optional.empty());
    ProcessInstance pi = h.start("tts", false);

    var task = h.driveUntilTask(SendCscsOfflineIds.HANDLE_CSCS_STILL_ALIVE, Map.of());
    String text = (String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.AWAIT_LAGGARDS_TEXT);
    assertThat(text).startsWith("The CSC monitor is blind: no record from tts's Kafka for 42 s");
    verify(h.cleanup, never()).deleteJobsOfClass(anyString(), anyString(), anyString(), anyBoolean());

    blind.set(false);
    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.STILL_ALIVE_DECISION, Decisions.CHECK_AGAIN));
    h.drive(Map.of());
    assertThat(pi).isEnded();
    assertThat(h.passed(pi)).contains(FullUpgradeIds.END_UPGRADE_DONE);
  }
}
