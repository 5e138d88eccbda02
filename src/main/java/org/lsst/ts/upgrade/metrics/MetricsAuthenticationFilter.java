package org.lsst.ts.upgrade.metrics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic on every actuator endpoint but health (so {@code /actuator/prometheus}): the
 * configured scrape user, or an administrator of the engine's identity service. Nobody else (401
 * without credentials or with wrong ones, 403 for another engine user): the metrics name sites,
 * runs and groups. Health stays open for the probes.
 */
class MetricsAuthenticationFilter extends OncePerRequestFilter {
  private final MetricsProperties properties;
  private final Supplier<IdentityService> identity;

  MetricsAuthenticationFilter(MetricsProperties properties, Supplier<IdentityService> identity) {
    this.properties = properties;
    this.identity = identity;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
      chain.doFilter(request, response);
      return;
    }
    String[] credentials = basic(request.getHeader("Authorization"));
    if (credentials == null) {
      challenge(response);
      return;
    }
    String user = credentials[0];
    String password = credentials[1];
    if (properties.hasScrapePassword() && user.equals(properties.scrapeUser())
        && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
            properties.scrapePassword().getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(request, response);
      return;
    }
    IdentityService ids = identity.get();
    if (!ids.checkPassword(user, password)) {
      challenge(response);
      return;
    }
    if (ids.createUserQuery().userId(user).memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "only the scrape user and administrators read the metrics");
      return;
    }
    chain.doFilter(request, response);
  }

  /** User and password of a Basic header, or null. */
  private static String[] basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon <= 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void challenge(HttpServletResponse response) throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"upgrade-orchestrator metrics\"");
    response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
  }
}
