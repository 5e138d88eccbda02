package org.lsst.ts.upgrade;

import org.springframework.http.HttpStatus;

/**
 * An error a REST caller caused or must know about; {@link ApiErrors} turns it into a JSON body
 * {@code {"status": ..., "error": ..., "message": ...}} with this status.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;

  public ApiException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  public ApiException(HttpStatus status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }
}
