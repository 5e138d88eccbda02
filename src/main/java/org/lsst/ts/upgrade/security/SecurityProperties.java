package org.lsst.ts.upgrade.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.security.*}.
 *
 * @param adminUser the administrator's user id (member of {@code camunda-admin})
 * @param adminPassword the administrator's password; bound from {@code UPGRADE_ADMIN_PASSWORD} and
 *     required outside the rehearsal profile. Never logged.
 */
@ConfigurationProperties("upgrade.security")
public record SecurityProperties(@DefaultValue("admin") String adminUser, String adminPassword) {

  boolean hasAdminPassword() {
    return adminPassword != null && !adminPassword.isBlank();
  }

  @Override
  public String toString() {
    return "SecurityProperties[adminUser=" + adminUser + ", adminPassword=" + (hasAdminPassword() ? "****" : "<unset>") + "]";
  }
}
