package org.lsst.ts.upgrade.runbook.runs;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/runs} starts a run for the authenticated user (the one door into a run: it checks
 * the caller's right to start, then starts the run as the orchestrator, recording who asked);
 * {@code GET /api/runs/{runId}}
 * reports on it; {@code GET /api/runs} lists recent runs, running and finished. The whole history of
 * one run is {@code GET /api/runs/{runId}/report} (package {@code history}).
 */
@RestController
@RequestMapping("/api/runs")
class RunController {
  private final Runs runs;

  RunController(Runs runs) {
    this.runs = runs;
  }

  @PostMapping
  ResponseEntity<Runs.Started> start(@RequestBody Map<String, Object> body, HttpServletRequest request) {
    return ResponseEntity.status(HttpStatus.CREATED).body(runs.start(body, request.getRemoteUser()));
  }

  @GetMapping("/{runId}")
  RunStatus status(@PathVariable String runId) {
    return runs.status(runId);
  }

  /** Newest first; {@code site}, {@code state} (ACTIVE, COMPLETED, ABORTED, CANCELLED) filter; {@code size} at most 100. */
  @GetMapping
  List<RunStatus> list(@RequestParam(required = false) String site, @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    return runs.list(site, state, page, size);
  }


  @ExceptionHandler(AuthorizationException.class)
  ResponseEntity<Map<String, Object>> forbidden(AuthorizationException e) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("status", 403);
    b.put("error", "Forbidden");
    b.put("message", "user '" + e.getUserId() + "' may not start this run: " + e.getMessage());
    return ResponseEntity.status(HttpStatus.FORBIDDEN).body(b);
  }
}
