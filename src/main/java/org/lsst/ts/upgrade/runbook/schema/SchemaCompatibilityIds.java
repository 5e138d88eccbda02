package org.lsst.ts.upgrade.runbook.schema;

/**
 * Ids of {@code schema-compatibility-relax} (record the registry's level, set NONE) and
 * {@code schema-compatibility-restore} (put the recorded level back). A process that calls the
 * relax process declares the extension property {@link #RESTORE_ON_END_PROPERTY} so that the
 * recorded level is also restored on an error end or a cancellation
 * ({@link CompatibilityRestorePlugin}).
 */
public final class SchemaCompatibilityIds {
  private SchemaCompatibilityIds() {}

  public static final String RELAX_KEY = "schema-compatibility-relax";
  public static final String RELAX_START = "StartEvent_RelaxCompatibility";
  public static final String RECORD = "ServiceTask_RecordCompatibility";
  public static final String RELAX = "ServiceTask_RelaxCompatibility";
  public static final String RELAX_END = "EndEvent_CompatibilityRelaxed";

  public static final String RESTORE_KEY = "schema-compatibility-restore";
  public static final String RESTORE_START = "StartEvent_RestoreCompatibility";
  public static final String RESTORE = "ServiceTask_RestoreCompatibility";
  public static final String RESTORE_END = "EndEvent_CompatibilityRestored";

  /** Process extension property: restore the recorded compatibility however the process ends. */
  public static final String RESTORE_ON_END_PROPERTY = "restoreSchemaCompatibilityOnEnd";
  /** Its value for the relax process itself: restore only when it is cancelled part-way. */
  public static final String ON_CANCEL = "cancelled";
  public static final String NONE = "NONE";
  public static final String EXPECTED = "FORWARD";
}
