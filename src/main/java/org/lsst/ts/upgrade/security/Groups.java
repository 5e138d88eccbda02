package org.lsst.ts.upgrade.security;

import java.util.List;

/**
 * The groups the orchestrator creates at startup. BPMN user tasks name them as
 * {@code camunda:candidateGroups}; their authorizations are set by {@link IdentitySetup}.
 */
public final class Groups {
  /** Everything, including Admin (users, groups, authorizations). */
  public static final String CAMUNDA_ADMIN = "camunda-admin";
  /** Start runbook processes, work on tasks offered to them, retry failed jobs. */
  public static final String OPERATORS = "operators";
  /** Read definitions, instances, history and tasks in Cockpit; change nothing. */
  public static final String MANAGERS = "managers";
  /** Work on the camera steps offered to them. */
  public static final String CAMERA_TEAM = "camera-team";

  public static final List<String> ALL = List.of(CAMUNDA_ADMIN, OPERATORS, MANAGERS, CAMERA_TEAM);

  private Groups() {}
}
