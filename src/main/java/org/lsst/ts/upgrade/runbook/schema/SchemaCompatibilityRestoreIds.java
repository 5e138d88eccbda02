package org.lsst.ts.upgrade.runbook.schema;

/** Ids of {@code schema-compatibility-restore} ({@code processes/schema-compatibility-restore.bpmn}): Restore schema compatibility. */
public final class SchemaCompatibilityRestoreIds {
  private SchemaCompatibilityRestoreIds() {}

  public static final String KEY = "schema-compatibility-restore";

  // flow nodes, in the file's order
  public static final String START_RESTORE_COMPATIBILITY = "StartEvent_RestoreCompatibility";
  public static final String RESTORE_COMPATIBILITY = "ServiceTask_RestoreCompatibility";
  public static final String END_COMPATIBILITY_RESTORED = "EndEvent_CompatibilityRestored";
}
