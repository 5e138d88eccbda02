package org.lsst.ts.upgrade.rehearsal;

import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET/POST /rehearsal/autopilot}: switch the autopilot on or off, set its delay, override answers. */
@RestController
@Profile("rehearsal")
@RequestMapping("/rehearsal/autopilot")
class AutopilotController {
  private final Autopilot autopilot;

  AutopilotController(Autopilot autopilot) {
    this.autopilot = autopilot;
  }

  /** {@code answers}: per form id and field key, overriding the answer sheet for this rehearsal. */
  record Settings(Boolean enabled, Duration delay, Map<String, Map<String, Object>> answers) {}

  @GetMapping
  Map<String, Object> get() {
    return Map.of("enabled", autopilot.isEnabled(), "delay", autopilot.delay().toString(),
        "completed", autopilot.completedCount(), "answers", autopilot.answers());
  }

  @PostMapping
  Map<String, Object> set(@RequestBody Settings s) {
    if (s.delay() != null) {
      autopilot.setDelay(s.delay());
    }
    if (s.answers() != null) {
      autopilot.override(s.answers());
    }
    if (s.enabled() != null) {
      autopilot.setEnabled(s.enabled());
    }
    return get();
  }

  /** Back to the answer sheet: this rehearsal's overrides dropped. */
  @DeleteMapping("/answers")
  Map<String, Object> clearAnswers() {
    autopilot.clearOverrides();
    return get();
  }
}
