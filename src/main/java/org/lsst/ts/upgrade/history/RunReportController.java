package org.lsst.ts.upgrade.history;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/runs/{runId}/report}: the audit trail of one run, finished or not, as the caller
 * may read it (managers: READ_HISTORY). The list of runs is {@code GET /api/runs} (package
 * {@code runbook}); an unknown run is a 404 with a JSON body.
 */
@RestController
class RunReportController {
  private final RunReports reports;

  RunReportController(RunReports reports) {
    this.reports = reports;
  }

  @GetMapping("/api/runs/{runId}/report")
  RunReport report(@PathVariable String runId) {
    return reports.report(runId);
  }
}
