package org.lsst.ts.upgrade.runbook.notices;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.util.Map;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.lsst.ts.upgrade.runbook.fullupgrade.CameraServicesIds;
import org.lsst.ts.upgrade.runbook.fullupgrade.UpdateConfigurationIds;

/**
 * A new task and a new incident reach the site's channel at once (after the step's transaction),
 * saying what, for whom or why, and where to act.
 */
class PeopleNeededNoticesTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  @Test
  void aNewTaskIsPostedToTheSitesChannelWithItsGroupAndATasklistLinkButNotThePreflights() {
    h.siteUp("tts");
    ProcessInstance pi = h.start("tts", false);
    var task = h.driveUntilTask(UpdateConfigurationIds.CONFIRM_PHALANX_MERGED, Map.of());
    // posted on a thread of its own, in order
    verify(h.notifier, timeout(10_000)).post(eq("tts"), isNull(), argThat(t -> t.contains("run " + pi.getBusinessKey())
        && t.contains("waits for operators") && t.contains(task.getName())
        && t.contains("/tasklist/default/#/?task=" + task.getId())), eq(pi.getBusinessKey()), isNull(), eq(false));
    // nothing reached the site before the plan was approved (earlier posts would have come first)
    verify(h.notifier, never()).post(anyString(), any(), argThat(t -> t.contains("Approve the plan")), any(), any(),
        org.mockito.ArgumentMatchers.anyBoolean());
  }

  @Test
  void theCameraTeamsTasksGoToItsChannel() {
    h.siteUp("bts");
    ProcessInstance pi = h.start("bts", false);
    var task = h.driveUntilTask(CameraServicesIds.START_CAMERA_SERVICES, Map.of());
    verify(h.notifier, timeout(10_000)).post(eq("bts"), eq("#base-teststand"), argThat(t -> t.contains("run " + pi.getBusinessKey())
        && t.contains("waits for camera-team") && t.contains(task.getId())), eq(pi.getBusinessKey()), isNull(), eq(false));
  }

  @Test
  void aNewIncidentIsPostedWithTheFailedStepItsMessageAndACockpitLink() {
    h.siteUp("tts");
    // after the preflight: starting a sync fails on every attempt
    org.mockito.Mockito.doThrow(new IllegalStateException("Argo CD answered 502 Bad Gateway")).when(h.argo).sync(anyString(), anyString());
    ProcessInstance pi = h.start("tts", false);
    h.drive(Map.of());
    // the engine's own handler still opened the incident
    org.assertj.core.api.Assertions.assertThat(h.engine.getRuntimeService().createIncidentQuery().count()).isPositive();
    verify(h.notifier, timeout(10_000).atLeastOnce()).post(eq("tts"), any(), argThat(t -> t.startsWith(":rotating_light: run " + pi.getBusinessKey())
        && t.contains("Argo CD answered 502 Bad Gateway") && t.contains("/cockpit/default/#/process-instance/")),
        eq(pi.getBusinessKey()), isNull(), eq(false));
  }
}
