package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.SummaryState;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/sites/{site}/cscs}: the live state of every CSC of a site. */
@RestController
@RequestMapping("/api/sites/{site}/cscs")
class CscController {
  private final CscStates states;

  CscController(CscStates states) {
    this.states = states;
  }

  /**
   * @param heartbeatAgeMs null when no heartbeat was ever seen
   */
  record CscView(String id, String component, Integer index, SummaryState reportedState, Long heartbeatAgeMs,
      SummaryState effectiveState, Instant lastUpdate) {}

  @GetMapping
  List<CscView> list(@PathVariable String site) {
    return states.snapshot(site).stream().map(s -> new CscView(s.id().toString(), s.id().component(),
        s.id().index(), s.reportedState(), s.heartbeatAge() == null ? null : s.heartbeatAge().toMillis(),
        s.effectiveState(), s.lastUpdate())).toList();
  }
}
