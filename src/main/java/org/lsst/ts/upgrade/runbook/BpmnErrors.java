package org.lsst.ts.upgrade.runbook;

/**
 * The error codes of the BPMN errors the processes throw and catch, written one way (upper snake
 * case). A process file declares each as {@code <bpmn:error errorCode="...">}; the conventions test
 * checks every code there is one of these.
 */
public final class BpmnErrors {
  private BpmnErrors() {}

  /** An operator's abort anywhere: caught by the run's "Aborted by an operator" event sub-process. */
  public static final String UPGRADE_ABORTED = "UPGRADE_ABORTED";
  /** Objects still there after a verified clean-up: an operator reviews them. */
  public static final String CLEANUP_INCOMPLETE = "CLEANUP_INCOMPLETE";
  public static final String CRIO_REBUILD_FAILED = "CRIO_REBUILD_FAILED";
  /** An Argo CD sync failed or passed its deadline. */
  public static final String SYNC_FAILED = "SYNC_FAILED";
  /** A host step failed on a host, or a person stopped waiting for it, or it passed its deadline: a person decides. */
  public static final String HOST_STEP_FAILED = "HOST_STEP_FAILED";
  /** A script of a {@code run-scripts} list failed, and the list stops. */
  public static final String SCRIPT_FAILED = "SCRIPT_FAILED";
  /** {@code minimal-testing} failed: its caller decides. */
  public static final String MINIMAL_TESTING_FAILED = "MINIMAL_TESTING_FAILED";

  public static final java.util.List<String> ALL = java.util.List.of(UPGRADE_ABORTED, CLEANUP_INCOMPLETE,
      CRIO_REBUILD_FAILED, SYNC_FAILED, HOST_STEP_FAILED, SCRIPT_FAILED, MINIMAL_TESTING_FAILED);
}
