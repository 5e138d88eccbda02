package org.lsst.ts.upgrade.rehearsal;

import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET/POST /rehearsal/autopilot}: switch the autopilot on or off and set its delay. */
@RestController
@Profile("rehearsal")
@RequestMapping("/rehearsal/autopilot")
class AutopilotController {
  private final Autopilot autopilot;

  AutopilotController(Autopilot autopilot) {
    this.autopilot = autopilot;
  }

  record Settings(Boolean enabled, Duration delay) {}

  @GetMapping
  Map<String, Object> get() {
    return Map.of("enabled", autopilot.isEnabled(), "delay", autopilot.delay().toString(),
        "completed", autopilot.completedCount());
  }

  @PostMapping
  Map<String, Object> set(@RequestBody Settings s) {
    if (s.delay() != null) {
      autopilot.setDelay(s.delay());
    }
    if (s.enabled() != null) {
      autopilot.setEnabled(s.enabled());
    }
    return get();
  }
}
