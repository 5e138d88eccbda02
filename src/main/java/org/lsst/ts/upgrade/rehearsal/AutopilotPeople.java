package org.lsst.ts.upgrade.rehearsal;

import java.util.Map;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SummaryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * What the people the autopilot stands in for do on the twin before they complete their task, so
 * a rehearsal ends as a real run would: an operator enables MTM2 from LOVE before confirming the
 * Hexrot reboot (the task checks MTM2's live state); the camera team starts the camera OCS bridges
 * on the site's mcm hosts when it answers "start the camera services" (the monitor then needs them
 * heartbeating).
 */
@Component
@Profile("rehearsal")
class AutopilotPeople {
  private static final Logger log = LoggerFactory.getLogger(AutopilotPeople.class);

  AutopilotPeople(Autopilot autopilot, TwinCscs cscs, SimulatedSites sites, ActionLog actions) {
    autopilot.addAction(new Autopilot.TaskAction() {
      @Override
      public boolean handles(String formId) {
        return formId.equals("start-camera-services");
      }

      @Override
      public void perform(String site, String formId, Map<String, Object> answers) {
        if (site == null || !Boolean.TRUE.equals(answers.get("cameraServicesStarted"))) {
          return;
        }
        for (Site.Host h : sites.require(site).hostsWithRole(Site.HostRole.CAMERA_MCM)) {
          actions.record(site, "autopilot", site + "/" + h.name(), "start-camera-services",
              Map.of("commands", h.startup()));
          // systemctl start <camera>-ocs-bridge.service, then setAvailable in ccs-shell
          java.util.Set<CscId> ids = new java.util.LinkedHashSet<>(h.cscs());
          sites.require(site).cscs().stream().filter(c -> h.name().equals(c.host())).forEach(c -> ids.add(c.id()));
          ids.forEach(id -> cscs.launch(site, id));
        }
        log.info("Autopilot, as the camera team: camera services started on {}", site);
      }
    });
    autopilot.addAction(new Autopilot.TaskAction() {
      @Override
      public boolean handles(String formId) {
        return formId.equals("m2-enabled-before-hexrot");
      }

      @Override
      public void perform(String site, String formId, Map<String, Object> answers) {
        if (site != null && Boolean.TRUE.equals(answers.get("m2Enabled"))) {
          try {
            var r = cscs.transitionTo(site, CscId.of("MTM2"), SummaryState.ENABLED);
            log.info("Autopilot, as the operator: MTM2 to ENABLED from LOVE on {}: {}", site, r.message());
          } catch (RuntimeException e) {
            log.warn("Autopilot, as the operator: MTM2 not enabled on {}: {}", site, e.toString());
          }
        }
      }
    });
  }
}
