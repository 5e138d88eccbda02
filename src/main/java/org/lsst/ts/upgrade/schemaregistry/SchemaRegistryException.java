package org.lsst.ts.upgrade.schemaregistry;

/**
 * A schema-registry call failed. {@link #status()} is the HTTP status (0 when the registry could
 * not be reached or answered nonsense); {@link #notFound()} means the registry answered that the
 * schema or subject does not exist, which retrying will not change.
 */
public class SchemaRegistryException extends RuntimeException {
  private final int status;

  public SchemaRegistryException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean notFound() {
    return status == 404;
  }
}
