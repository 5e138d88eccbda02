package org.lsst.ts.upgrade.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.HistoricProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.HistoricTaskPermissions;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.camunda.bpm.spring.boot.starter.util.SpringBootProcessEnginePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Creates the groups, their authorizations and the users when the engine is built (before the job
 * executor and the web server start). Idempotent: a restart on a persistent database finds
 * everything in place and only adds what is missing.
 */
@Component
class IdentitySetup extends SpringBootProcessEnginePlugin {
  private static final Logger log = LoggerFactory.getLogger(IdentitySetup.class);

  static final String REHEARSAL = "rehearsal";
  static final String GROUP_ID_PATTERN = "[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*";
  /** Demo users of the rehearsal profile: id, group. The password is the id. */
  static final Map<String, String> DEMO_USERS = Map.of(
      "admin", Groups.CAMUNDA_ADMIN,
      "operator", Groups.OPERATORS,
      "manager", Groups.MANAGERS,
      "camera", Groups.CAMERA_TEAM);

  /** What each group may do beyond the tasks offered to it (those come from the task's identity links). */
  record Grant(String group, Resource resource, String resourceId, List<Permission> permissions) {
    Grant(String group, Resource resource, String resourceId, Permission... permissions) {
      this(group, resource, resourceId, List.of(permissions));
    }
  }

  static final List<Grant> GRANTS = List.of(
      new Grant(Groups.OPERATORS, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      // Cockpit: operators retry failed jobs (incidents) of their runs
      new Grant(Groups.OPERATORS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
      // no CREATE_INSTANCE, no CREATE: runs start through the run API only, which starts them as
      // the orchestrator after checking the caller's group (REVOKED below for older databases)
      new Grant(Groups.OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
          ProcessDefinitionPermissions.READ_INSTANCE,
          ProcessDefinitionPermissions.READ_HISTORY, ProcessDefinitionPermissions.READ_TASK,
          ProcessDefinitionPermissions.RETRY_JOB),
      new Grant(Groups.OPERATORS, Resources.PROCESS_INSTANCE, ANY,
          ProcessInstancePermissions.READ, ProcessInstancePermissions.RETRY_JOB),
      new Grant(Groups.OPERATORS, Resources.TASK, ANY, Permissions.READ),
      new Grant(Groups.OPERATORS, Resources.DEPLOYMENT, ANY, Permissions.READ),
      new Grant(Groups.OPERATORS, Resources.FILTER, ANY, Permissions.READ),
      new Grant(Groups.OPERATORS, Resources.HISTORIC_PROCESS_INSTANCE, ANY, HistoricProcessInstancePermissions.READ),
      new Grant(Groups.OPERATORS, Resources.HISTORIC_TASK, ANY, HistoricTaskPermissions.READ),

      new Grant(Groups.MANAGERS, Resources.APPLICATION, "cockpit", Permissions.ACCESS),
      new Grant(Groups.MANAGERS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ,
          ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY,
          ProcessDefinitionPermissions.READ_TASK),
      new Grant(Groups.MANAGERS, Resources.PROCESS_INSTANCE, ANY, Permissions.READ),
      new Grant(Groups.MANAGERS, Resources.TASK, ANY, Permissions.READ),
      new Grant(Groups.MANAGERS, Resources.DEPLOYMENT, ANY, Permissions.READ),
      new Grant(Groups.MANAGERS, Resources.DECISION_DEFINITION, ANY, Permissions.READ, Permissions.READ_HISTORY),
      new Grant(Groups.MANAGERS, Resources.FILTER, ANY, Permissions.READ),
      new Grant(Groups.MANAGERS, Resources.HISTORIC_PROCESS_INSTANCE, ANY, HistoricProcessInstancePermissions.READ),
      new Grant(Groups.MANAGERS, Resources.HISTORIC_TASK, ANY, HistoricTaskPermissions.READ),

      new Grant(Groups.CAMERA_TEAM, Resources.APPLICATION, "tasklist", Permissions.ACCESS),
      new Grant(Groups.CAMERA_TEAM, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.READ),
      new Grant(Groups.CAMERA_TEAM, Resources.FILTER, ANY, Permissions.READ));

  /** Permissions earlier versions granted and this one takes back from an existing database. */
  static final List<Grant> REVOKED = List.of(
      new Grant(Groups.OPERATORS, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.CREATE_INSTANCE),
      new Grant(Groups.OPERATORS, Resources.PROCESS_INSTANCE, ANY, ProcessInstancePermissions.CREATE));

  private final SecurityProperties properties;
  private final boolean rehearsal;
  private final String profiles;

  IdentitySetup(SecurityProperties properties, Environment environment) {
    this.properties = properties;
    this.rehearsal = environment.acceptsProfiles(Profiles.of(REHEARSAL));
    this.profiles = String.join(",", environment.getActiveProfiles().length > 0
        ? environment.getActiveProfiles() : environment.getDefaultProfiles());
    // fail before the engine is even built
    if (!rehearsal && !properties.hasAdminPassword()) {
      throw new MissingAdminPasswordException(profiles);
    }
  }

  @Override
  public void preInit(SpringProcessEngineConfiguration configuration) {
    // A candidate user or group may claim, complete and set variables on a task, nothing more.
    configuration.setDefaultUserPermissionNameForTask("TASK_WORK");
    // Camunda's default group-id pattern forbids hyphens (except camunda-admin); ours have them.
    configuration.setGroupResourceWhitelistPattern(GROUP_ID_PATTERN);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    apply(engine);
  }

  /** Ensures groups, authorizations and users; safe to run any number of times. */
  void apply(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    AuthorizationService authorizations = engine.getAuthorizationService();
    for (String g : Groups.ALL) {
      ensureGroup(identity, g);
    }
    for (Resource r : Resources.values()) {
      grant(authorizations, new Grant(Groups.CAMUNDA_ADMIN, r, ANY, Permissions.ALL));
    }
    GRANTS.forEach(g -> grant(authorizations, g));
    REVOKED.forEach(g -> revoke(authorizations, g));
    if (rehearsal) {
      DEMO_USERS.forEach((user, group) -> ensureUser(identity, user, user, group, false));
      log.warn("""

          *************************************************************************************
          *  REHEARSAL PROFILE: demo users exist with password = user name:                   *
          *    admin (camunda-admin), operator (operators), manager (managers),               *
          *    camera (camera-team).  Never run this profile against a real site.             *
          *************************************************************************************""");
    } else {
      removeDemoUsers(identity);
      ensureUser(identity, properties.adminUser(), properties.adminPassword(), Groups.CAMUNDA_ADMIN, true);
      log.info("Administrator '{}' ready (password from UPGRADE_ADMIN_PASSWORD); profiles: {}",
          properties.adminUser(), profiles);
    }
  }

  private static void ensureGroup(IdentityService identity, String id) {
    if (identity.createGroupQuery().groupId(id).count() == 0) {
      Group g = identity.newGroup(id);
      g.setName(id);
      g.setType(Groups.CAMUNDA_ADMIN.equals(id)
          ? org.camunda.bpm.engine.authorization.Groups.GROUP_TYPE_SYSTEM
          : org.camunda.bpm.engine.authorization.Groups.GROUP_TYPE_WORKFLOW);
      identity.saveGroup(g);
      log.info("Created group {}", id);
    }
  }

  /** Adds the permissions to the group's grant on that resource id (creating it if missing). */
  private static void grant(AuthorizationService authorizations, Grant grant) {
    Authorization a = authorizations.createAuthorizationQuery()
        .groupIdIn(grant.group())
        .resourceType(grant.resource())
        .resourceId(grant.resourceId())
        .authorizationType(AUTH_TYPE_GRANT)
        .list().stream().findFirst().orElse(null);
    boolean changed = false;
    if (a == null) {
      a = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
      a.setGroupId(grant.group());
      a.setResource(grant.resource());
      a.setResourceId(grant.resourceId());
      changed = true;
    }
    for (Permission p : grant.permissions()) {
      if (!a.isPermissionGranted(p)) {
        a.addPermission(p);
        changed = true;
      }
    }
    if (changed) {
      authorizations.saveAuthorization(a);
    }
  }

  /** Removes the permissions from the group's grant on that resource id, if it has them. */
  private static void revoke(AuthorizationService authorizations, Grant grant) {
    for (Authorization a : authorizations.createAuthorizationQuery().groupIdIn(grant.group())
        .resourceType(grant.resource()).resourceId(grant.resourceId()).authorizationType(AUTH_TYPE_GRANT).list()) {
      boolean changed = false;
      for (Permission p : grant.permissions()) {
        if (a.isPermissionGranted(p)) {
          a.removePermission(p);
          changed = true;
        }
      }
      if (changed) {
        authorizations.saveAuthorization(a);
        log.info("Revoked {} on {} {} from group {}", grant.permissions(), grant.resource().resourceName(),
            grant.resourceId(), grant.group());
      }
    }
  }

  private static void ensureUser(IdentityService identity, String id, String password, String group,
      boolean resetPassword) {
    User user = identity.createUserQuery().userId(id).singleResult();
    if (user == null) {
      user = identity.newUser(id);
      user.setFirstName(id);
      user.setLastName("");
      user.setPassword(password);
      identity.saveUser(user);
      log.info("Created user {}", id);
    } else if (resetPassword && !identity.checkPassword(id, password)) {
      // the environment is the source of truth for the administrator's password. The failed check
      // counted a failed login (a newer revision of the user, and a login delay): clear it and
      // update the user as it is now, or the save fails on optimistic locking and so does the start
      identity.unlockUser(id);
      user = identity.createUserQuery().userId(id).singleResult();
      user.setPassword(password);
      identity.saveUser(user);
      log.info("Updated the password of user {} from the environment", id);
    }
    if (identity.createUserQuery().userId(id).memberOfGroup(group).count() == 0) {
      identity.createMembership(id, group);
    }
  }

  /**
   * Outside rehearsal, demo users left in a database a rehearsal used (the default H2 file is
   * shared) would be known credentials: delete those that still have their demo password.
   */
  private static void removeDemoUsers(IdentityService identity) {
    for (String id : Arrays.asList("operator", "manager", "camera")) {
      if (identity.createUserQuery().userId(id).count() > 0 && identity.checkPassword(id, id)) {
        identity.deleteUser(id);
        log.warn("Deleted rehearsal demo user '{}' (password = user name) from this database", id);
      }
    }
  }
}
