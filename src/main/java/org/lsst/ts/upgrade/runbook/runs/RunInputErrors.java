package org.lsst.ts.upgrade.runbook.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The run API's 400, for a run and for its plan alike: every bad field under {@code fields}, as well as in the message. */
// before the application-wide ApiErrors, which would answer the 400 without the fields
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = {RunController.class, RunPlanController.class})
class RunInputErrors {

  @ExceptionHandler(RunInputException.class)
  ResponseEntity<Map<String, Object>> badInput(RunInputException e) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("status", 400);
    b.put("error", "Bad Request");
    b.put("message", e.getMessage());
    b.put("fields", e.fields());
    return ResponseEntity.badRequest().body(b);
  }
}
