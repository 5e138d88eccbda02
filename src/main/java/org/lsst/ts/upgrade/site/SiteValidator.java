package org.lsst.ts.upgrade.site;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Semantic checks of a site file; each problem names its path inside the file. */
final class SiteValidator {

  static final Pattern SITE_ID = Pattern.compile("[a-z][a-z0-9-]{0,30}");
  /** RFC 1123 host name (labels of letters, digits and hyphens), or an IPv4 address. */
  static final Pattern HOSTNAME = Pattern.compile(
      "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]*");
  static final Pattern BOOTSTRAP = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*");

  private final List<String> problems = new ArrayList<>();

  private SiteValidator() {}

  static List<String> validate(Site s, String expectedId) {
    var v = new SiteValidator();
    v.site(s, expectedId);
    return v.problems;
  }

  private void problem(String path, String what) {
    problems.add(path + ": " + what);
  }

  private boolean required(String path, Object value) {
    if (value == null || (value instanceof String str && str.isBlank())) {
      problem(path, "is required");
      return false;
    }
    return true;
  }

  private void url(String path, String value, boolean isRequired) {
    if (value == null) {
      if (isRequired) {
        problem(path, "is required");
      }
      return;
    }
    try {
      URI u = URI.create(value);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        problem(path, "'" + value + "' is not an http(s) URL with a host");
      }
    } catch (IllegalArgumentException e) {
      problem(path, "'" + value + "' is not a valid URL: " + e.getMessage());
    }
  }

  private void env(String path, String value) {
    if (value != null && !ENV.matcher(value).matches()) {
      problem(path, "'" + value + "' is not an environment variable name (A-Z, 0-9, _)");
    }
  }

  private void site(Site s, String expectedId) {
    if (required("id", s.id())) {
      if (!SITE_ID.matcher(s.id()).matches()) {
        problem("id", "'" + s.id() + "' must be lower-case letters, digits and hyphens");
      } else if (expectedId != null && !expectedId.equals(s.id())) {
        problem("id", "'" + s.id() + "' does not match the file name '" + expectedId + ".yaml'");
      }
    }
    required("display-name", s.displayName());
    if (required("endpoints", s.endpoints())) {
      var e = s.endpoints();
      url("endpoints.love", e.love(), true);
      url("endpoints.argocd", e.argocd(), true);
      url("endpoints.chronograf", e.chronograf(), false);
      url("endpoints.nublado", e.nublado(), false);
      url("endpoints.schema-registry", e.schemaRegistry(), true);
      url("endpoints.kubernetes-api-url", e.kubernetesApiUrl(), false);
      if (required("endpoints.kafka-bootstrap", e.kafkaBootstrap())
          && !BOOTSTRAP.matcher(e.kafkaBootstrap()).matches()) {
        problem("endpoints.kafka-bootstrap", "'" + e.kafkaBootstrap() + "' is not a host:port list");
      }
      if (!NAME.matcher(e.kafkaTopicSubname()).matches()) {
        problem("endpoints.kafka-topic-subname", "'" + e.kafkaTopicSubname() + "' must be lower-case letters and digits");
      }
    }
    if (s.credentials() != null) {
      var c = s.credentials();
      env("credentials.love-username-env", c.loveUsernameEnv());
      env("credentials.love-password-env", c.lovePasswordEnv());
      env("credentials.argocd-token-env", c.argocdTokenEnv());
      env("credentials.argocd-username-env", c.argocdUsernameEnv());
      env("credentials.argocd-password-env", c.argocdPasswordEnv());
      env("credentials.kafka-username-env", c.kafkaUsernameEnv());
      env("credentials.kafka-password-env", c.kafkaPasswordEnv());
      env("credentials.slack-token-env", c.slackTokenEnv());
    }
    if (required("slack", s.slack()) && required("slack.channel", s.slack().channel())
        && !s.slack().channel().startsWith("#")) {
      problem("slack.channel", "'" + s.slack().channel() + "' must start with #");
    }
    Set<String> namespaces = new HashSet<>();
    if (required("kubernetes", s.kubernetes())) {
      required("kubernetes.context", s.kubernetes().context());
      if (s.kubernetes().cscNamespaces().isEmpty()) {
        problem("kubernetes.csc-namespaces", "must list at least one namespace");
      }
      for (int i = 0; i < s.kubernetes().cscNamespaces().size(); i++) {
        String ns = s.kubernetes().cscNamespaces().get(i);
        if (ns == null || !NAME.matcher(ns).matches()) {
          problem("kubernetes.csc-namespaces[" + i + "]", "'" + ns + "' is not a Kubernetes namespace name");
        } else if (!namespaces.add(ns)) {
          problem("kubernetes.csc-namespaces[" + i + "]", "'" + ns + "' is listed twice");
        }
      }
    }
    Set<String> apps = new HashSet<>();
    if (required("argocd", s.argocd())) {
      var a = s.argocd();
      if (a.telescopeApps().isEmpty()) {
        problem("argocd.telescope-apps", "must list at least one application");
      }
      for (int i = 0; i < a.telescopeApps().size(); i++) {
        String app = a.telescopeApps().get(i);
        if (app == null || !NAME.matcher(app).matches()) {
          problem("argocd.telescope-apps[" + i + "]", "'" + app + "' is not an Argo CD application name");
        } else if (!apps.add(app)) {
          problem("argocd.telescope-apps[" + i + "]", "'" + app + "' is listed twice");
        }
      }
      for (int i = 0; i < a.firstTelescopeApps().size(); i++) {
        if (!apps.contains(a.firstTelescopeApps().get(i))) {
          problem("argocd.first-telescope-apps[" + i + "]", "'" + a.firstTelescopeApps().get(i)
              + "' is not in argocd.telescope-apps");
        }
      }
    }
    Set<String> hostNames = new HashSet<>();
    for (int i = 0; i < s.hosts().size(); i++) {
      host("hosts[" + i + "]", s.hosts().get(i), hostNames);
    }
    Set<CscId> ids = new HashSet<>();
    if (s.cscs().isEmpty()) {
      problem("cscs", "the inventory must list at least one CSC");
    }
    for (int i = 0; i < s.cscs().size(); i++) {
      String p = "cscs[" + i + "]";
      var c = s.cscs().get(i);
      if (c == null || !required(p + ".id", c.id())) {
        continue;
      }
      if (!ids.add(c.id())) {
        problem(p + ".id", "duplicate CSC id '" + c.id() + "'");
      }
      if ((c.namespace() == null) == (c.host() == null)) {
        problem(p, c.id() + " must name exactly one of namespace (Kubernetes) or host (bare metal, cRIO)");
      }
      if (c.namespace() != null && !namespaces.contains(c.namespace())) {
        problem(p + ".namespace", "'" + c.namespace() + "' is not in kubernetes.csc-namespaces");
      }
      if (c.namespace() != null && c.app() != null && !apps.contains(c.app())) {
        problem(p + ".app", "'" + c.app() + "' is not in argocd.telescope-apps");
      }
      if (c.host() != null && !hostNames.contains(c.host())) {
        problem(p + ".host", "'" + c.host() + "' is not one of the site's hosts");
      }
      if (c.cscClass() != null && !NAME.matcher(c.cscClass()).matches()) {
        problem(p + ".csc-class", "'" + c.cscClass() + "' is not a valid label value");
      }
    }
    for (int i = 0; i < s.hosts().size(); i++) {
      var h = s.hosts().get(i);
      for (int j = 0; h != null && j < h.cscs().size(); j++) {
        if (!ids.contains(h.cscs().get(j))) {
          problem("hosts[" + i + "].cscs[" + j + "]", "'" + h.cscs().get(j) + "' is not in the CSC inventory");
        }
      }
    }
    for (int i = 0; i < s.enabledOnStart().size(); i++) {
      if (!ids.contains(s.enabledOnStart().get(i))) {
        problem("enabled-on-start[" + i + "]", "'" + s.enabledOnStart().get(i) + "' is not in the CSC inventory");
      }
    }
    for (int i = 0; i < s.enableAtEnd().size(); i++) {
      stateRequest("enable-at-end[" + i + "]", s.enableAtEnd().get(i), ids);
    }
    for (int i = 0; i < s.minimalTesting().telescopes().size(); i++) {
      String t = s.minimalTesting().telescopes().get(i);
      if (!"auxtel".equals(t) && !"maintel".equals(t)) {
        problem("minimal-testing.telescopes[" + i + "]", "'" + t + "' must be auxtel or maintel");
      }
    }
  }

  private void stateRequest(String p, Site.StateRequest r, Set<CscId> ids) {
    if (r == null || !required(p + ".csc", r.csc()) || !required(p + ".state", r.state())) {
      return;
    }
    if (r.csc().endsWith(":*")) {
      String component = r.csc().substring(0, r.csc().length() - 2);
      if (ids.stream().noneMatch(id -> id.component().equals(component) && id.indexed())) {
        problem(p + ".csc", "'" + r.csc() + "' matches no indexed CSC in the inventory");
      }
    } else {
      try {
        CscId id = CscId.parse(r.csc());
        if (!ids.contains(id)) {
          problem(p + ".csc", "'" + r.csc() + "' is not in the CSC inventory");
        }
      } catch (IllegalArgumentException e) {
        problem(p + ".csc", e.getMessage());
      }
    }
    try {
      if (SummaryState.parse(r.state()) == SummaryState.FAULT) {
        problem(p + ".state", "FAULT cannot be requested");
      }
    } catch (IllegalArgumentException e) {
      problem(p + ".state", e.getMessage());
    }
  }

  private void host(String p, Site.Host h, Set<String> names) {
    if (h == null) {
      problem(p, "is empty");
      return;
    }
    if (required(p + ".name", h.name())) {
      if (!NAME.matcher(h.name()).matches()) {
        problem(p + ".name", "'" + h.name() + "' must be lower-case letters, digits and hyphens");
      } else if (!names.add(h.name())) {
        problem(p + ".name", "duplicate host name '" + h.name() + "'");
      }
    }
    if (required(p + ".hostname", h.hostname()) && !HOSTNAME.matcher(h.hostname()).matches()) {
      problem(p + ".hostname", "'" + h.hostname() + "' is not a valid host name");
    }
    if (h.port() < 1 || h.port() > 65535) {
      problem(p + ".port", h.port() + " is not a TCP port");
    }
    if (h.user() != null && !USER.matcher(h.user()).matches()) {
      problem(p + ".user", "'" + h.user() + "' is not a valid login name");
    }
    required(p + ".role", h.role());
    if (!h.repos().isEmpty() && h.update() == null) {
      problem(p + ".update", "is required when repos are listed (the update command template)");
    }
    if (h.update() != null && (!h.update().contains("{repo}") || !h.update().contains("{branch}"))) {
      problem(p + ".update", "must contain {repo} and {branch}");
    }
    for (int i = 0; i < h.repos().size(); i++) {
      var r = h.repos().get(i);
      if (r == null || r.path() == null || !r.path().matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}") || r.path().contains("..")) {
        problem(p + ".repos[" + i + "].path", "must be a relative path of letters, digits, '.', '_', '-' and '/'");
      }
      if (r != null && r.branch() == null) {
        problem(p + ".repos[" + i + "].branch", "is required (docker-compose-ops or love-integration-tools)");
      }
    }
  }
}
