package org.lsst.ts.upgrade;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** JSON error bodies for the {@code /api/**} and {@code /rehearsal/**} endpoints. */
@RestControllerAdvice(basePackages = "org.lsst.ts.upgrade")
class ApiErrors {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> api(ApiException e) {
    return body(e.status(), e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    String detail = e.getMostSpecificCause().getMessage();
    return body(HttpStatus.BAD_REQUEST, "request body is not valid JSON of the expected form: " + detail);
  }

  static ResponseEntity<Map<String, Object>> body(HttpStatus status, String message) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("status", status.value());
    b.put("error", status.getReasonPhrase());
    b.put("message", message);
    return ResponseEntity.status(status).body(b);
  }
}
