package org.lsst.ts.upgrade.runbook.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.lsst.ts.upgrade.ApiException;
import org.springframework.http.HttpStatus;

/** Invalid run input: 400 naming every bad field (path → problem), not only the first. */
class RunInputException extends ApiException {
  private final Map<String, String> fields;

  RunInputException(Map<String, String> fields) {
    super(HttpStatus.BAD_REQUEST, "invalid run input: " + fields.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")));
    this.fields = Map.copyOf(new LinkedHashMap<>(fields));
  }

  Map<String, String> fields() {
    return fields;
  }
}
