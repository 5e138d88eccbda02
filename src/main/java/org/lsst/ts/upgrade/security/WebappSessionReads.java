package org.lsst.ts.upgrade.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationProvider;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.filter.util.CsrfConstants;

/**
 * HTTP Basic, and for the run-history reads of the Cockpit plugin also the Camunda webapp session:
 * a {@code GET /api/runs}, {@code /api/runs/{runId}} or {@code /api/runs/{runId}/report} without an
 * {@code Authorization} header runs as the user logged into the webapps, when
 * <ul>
 *   <li>it carries the webapps' CSRF token ({@code X-XSRF-TOKEN}, as Cockpit sends it) matching the
 *       session's, so another site cannot make a logged-in browser read the API;
 *   <li>that user still exists and may still access Cockpit (checked now, not when they logged in).
 * </ul>
 * Writes ({@code POST /api/runs}) and every other path accept HTTP Basic only. The user's groups
 * are read afresh from the identity service by Camunda's filter, so the authorizations in force
 * apply, exactly as for a Basic request.
 */
final class WebappSessionReads implements AuthenticationProvider {
  static final Pattern READ_PATHS = Pattern.compile("/api/runs(/[^/]+(/report)?)?/?");
  static final String COCKPIT = "cockpit";

  private final AuthenticationProvider basic;

  WebappSessionReads(AuthenticationProvider basic) {
    this.basic = basic;
  }

  @Override
  public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
    if (request.getHeader("Authorization") == null && isSessionRead(request)) {
      String user = sessionUser(request, engine);
      if (user != null) {
        return AuthenticationResult.successful(user);
      }
    }
    return basic.extractAuthenticatedUser(request, engine);
  }

  @Override
  public void augmentResponseByAuthenticationChallenge(HttpServletResponse response, ProcessEngine engine) {
    basic.augmentResponseByAuthenticationChallenge(response, engine);
  }

  static boolean isSessionRead(HttpServletRequest request) {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return "GET".equals(request.getMethod()) && READ_PATHS.matcher(path).matches();
  }

  private static String sessionUser(HttpServletRequest request, ProcessEngine engine) {
    HttpSession session = request.getSession(false);
    String header = request.getHeader(CsrfConstants.CSRF_TOKEN_HEADER_NAME);
    if (session == null || header == null) {
      return null;
    }
    Object token = session.getAttribute(CsrfConstants.CSRF_TOKEN_SESSION_ATTR_NAME);
    if (!(token instanceof String expected) || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        header.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    Authentication auth = AuthenticationUtil.getAuthsFromSession(session)
        .getAuthenticationForProcessEngine(engine.getName());
    if (auth == null || auth.getIdentityId() == null) {
      return null;
    }
    String user = auth.getIdentityId();
    if (engine.getIdentityService().createUserQuery().userId(user).count() == 0) {
      return null;
    }
    List<String> groups = engine.getIdentityService().createGroupQuery().groupMember(user).list().stream()
        .map(Group::getId).toList();
    boolean cockpit = !engine.getProcessEngineConfiguration().isAuthorizationEnabled()
        || engine.getAuthorizationService().isUserAuthorized(user, groups, Permissions.ACCESS, Resources.APPLICATION,
            COCKPIT);
    return cockpit ? user : null;
  }
}
