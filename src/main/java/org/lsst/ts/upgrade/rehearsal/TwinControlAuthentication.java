package org.lsst.ts.upgrade.rehearsal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The standalone twin's control API ({@code /rehearsal/**}) answers only user {@code twin} with
 * {@code upgrade.twin.control-password} (HTTP Basic): no engine users live here, and there is no
 * default password. In the orchestrator's JVM the engine's users and {@link RehearsalControlAccess}
 * guard the same API instead.
 */
@Component
@Profile(TwinApplication.PROFILE)
class TwinControlAuthentication extends OncePerRequestFilter {
  static final String USER = "twin";
  private final byte[] expected;

  TwinControlAuthentication(TwinProperties properties) {
    if (properties.controlPassword() == null || properties.controlPassword().isBlank()) {
      throw new IllegalStateException("the standalone twin needs a password for its control API: set "
          + "UPGRADE_TWIN_CONTROL_PASSWORD (upgrade.twin.control-password); there is no default");
    }
    expected = ("Basic " + Base64.getEncoder().encodeToString((USER + ":" + properties.controlPassword())
        .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/rehearsal");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader("Authorization");
    if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"rehearsal twin\"");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "the twin's control API needs user 'twin' and its password");
      return;
    }
    chain.doFilter(request, response);
  }
}
