package org.lsst.ts.upgrade.runbook.schema;

/** Ids of {@code schema-compatibility-relax} ({@code processes/schema-compatibility-relax.bpmn}): Relax schema compatibility. */
public final class SchemaCompatibilityRelaxIds {
  private SchemaCompatibilityRelaxIds() {}

  public static final String KEY = "schema-compatibility-relax";

  // flow nodes, in the file's order
  public static final String START_RELAX_COMPATIBILITY = "StartEvent_RelaxCompatibility";
  public static final String RECORD_COMPATIBILITY = "ServiceTask_RecordCompatibility";
  public static final String RELAX_COMPATIBILITY = "ServiceTask_RelaxCompatibility";
  public static final String END_COMPATIBILITY_RELAXED = "EndEvent_CompatibilityRelaxed";

  /** Process extension property: restore the recorded compatibility however the process ends. */
  public static final String RESTORE_ON_END_PROPERTY = "restoreSchemaCompatibilityOnEnd";
  /** Its value for the relax process itself: restore only when it is cancelled part-way. */
  public static final String ON_CANCEL = "cancelled";
  public static final String NONE = "NONE";
  public static final String EXPECTED = "FORWARD";
}
