package org.lsst.ts.upgrade.rehearsal;

import java.util.Map;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * What the people the autopilot stands in for do on the twin before they complete their task, so
 * a rehearsal ends as a real run would: an operator enables MTM2 from LOVE before confirming the
 * Hexrot reboot (the task checks MTM2's live state).
 */
@Component
@Profile("rehearsal")
class AutopilotPeople {
  private static final Logger log = LoggerFactory.getLogger(AutopilotPeople.class);

  AutopilotPeople(Autopilot autopilot, TwinCscs cscs) {
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
