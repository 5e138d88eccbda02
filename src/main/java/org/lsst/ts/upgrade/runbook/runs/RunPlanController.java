package org.lsst.ts.upgrade.runbook.runs;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/runs/plan}: the plan of a run without starting it (a dry run). Same body and
 * same 400s as {@code POST /api/runs}; nothing is started, changed or posted.
 */
@RestController
@RequestMapping("/api/runs")
class RunPlanController {
  private final DryRuns dryRuns;

  RunPlanController(DryRuns dryRuns) {
    this.dryRuns = dryRuns;
  }

  /** {@code process}, {@code site}, {@code sections} (title, lines) and the same as {@code text}. */
  @PostMapping("/plan")
  Map<String, Object> plan(@RequestBody Map<String, Object> body, HttpServletRequest request) {
    RunPlanner.Plan p = dryRuns.plan(body, request.getRemoteUser());
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("process", p.process());
    b.put("site", p.site());
    b.put("sections", p.sections());
    b.put("text", p.text());
    return b;
  }
}
