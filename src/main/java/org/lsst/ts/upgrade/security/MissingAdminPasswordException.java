package org.lsst.ts.upgrade.security;

/** Outside the rehearsal profile the administrator's password must come from the environment. */
class MissingAdminPasswordException extends IllegalStateException {
  MissingAdminPasswordException(String profiles) {
    super("UPGRADE_ADMIN_PASSWORD is not set: outside the rehearsal profile (active profiles: " + profiles
        + ") the administrator's password must come from the environment variable UPGRADE_ADMIN_PASSWORD"
        + " (or the property upgrade.security.admin-password)");
  }
}
