package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * The Phalanx application (deploy/phalanx/applications/upgrade-orchestrator), linted and rendered by
 * Helm itself (helm-java: Helm as a native library) for each site's values, the manifests parsed with
 * fabric8 and checked against what the application needs: the production profile, the probes, RBAC
 * for exactly the clean-up's namespaces and verbs, and secrets only through the VaultSecret.
 */
class ChartTests {
  static final Path CHART = Path.of("deploy", "phalanx", "applications", "upgrade-orchestrator");
  static final String LIVENESS_PATH = "/actuator/health/liveness";
  static final String READINESS_PATH = "/actuator/health/readiness";
  /** What Argo CD sets in Phalanx (global.*), here for the test's rendering. */
  static final Map<String, String> GLOBALS = Map.of("global.host", "site.example.org",
      "global.baseUrl", "https://site.example.org", "global.vaultSecretsPath", "secret/phalanx/test-env");
  static final String NAMESPACE = "upgrade-orchestrator";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|_KEY|CREDENTIALS?)");

  /** The manifests of one environment, by kind. */
  record Rendered(String site, String text, List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      assertThat(found).as(type.getSimpleName() + " in " + site).hasSize(1);
      return found.get(0);
    }

    Container container() {
      return podSpec().getContainers().get(0);
    }

    PodSpec podSpec() {
      return one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    Map<String, EnvVar> env() {
      return container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> {
        throw new AssertionError("environment variable " + a.getName() + " set twice");
      }, LinkedHashMap::new));
    }

    GenericKubernetesResource vaultSecret() {
      List<GenericKubernetesResource> found = all(GenericKubernetesResource.class).stream()
          .filter(r -> r.getKind().equals("VaultSecret")).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }

  static Rendered render(String environment, String site) {
    return render(environment, site, Map.of());
  }

  static Rendered render(String environment, String site, Map<String, String> values) {
    var template = new Helm(CHART).template().withName("upgrade-orchestrator").withNamespace(NAMESPACE)
        .withValuesFile(CHART.resolve("values-" + environment + ".yaml"));
    GLOBALS.forEach(template::set);
    values.forEach(template::set);
    String text = template.call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        objects.add(Serialization.unmarshal(doc));
      }
    }
    return new Rendered(site, text, objects);
  }

  static Site site(String id) {
    return new Sites(new SiteProperties(null)).require(id);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void helmLintIsCleanWithTheEnvironmentsValues(String environment, String site, @TempDir Path dir) throws IOException {
    // helm lint takes no values files: lint a copy whose values.yaml is what Argo CD merges
    Path chart = copyChart(dir);
    ObjectNode values = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
    merge(values, YAML.readTree(CHART.resolve("values-" + environment + ".yaml").toFile()));
    GLOBALS.forEach((k, v) -> ((ObjectNode) values.path("global")).put(k.substring("global.".length()), v));
    YAML.writeValue(chart.resolve("values.yaml").toFile(), values);

    LintResult lint = new Helm(chart).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    assertThat(values.path("site").asText()).isEqualTo(site);
  }

  @Test
  void withoutASiteTheChartRefusesToRenderSayingWhy() {
    assertThatThrownBy(() -> {
      var template = new Helm(CHART).template().withName("upgrade-orchestrator");
      GLOBALS.forEach(template::set);
      template.call();
    }).hasMessageContaining("site must name the site this deployment serves");
    assertThatThrownBy(() -> {
      var template = new Helm(CHART).template().withName("upgrade-orchestrator").set("site", "lab");
      GLOBALS.forEach(template::set);
      template.call();
    }).hasMessageContaining("site \"lab\" has no site file sites/lab.yaml in the chart");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void theDeploymentRunsTheProductionProfileOnItsOwnSiteOnly(String environment, String site, @TempDir Path dir)
      throws IOException {
    Rendered r = render(environment, site);
    Map<String, EnvVar> env = r.env();
    assertThat(env.get("SPRING_PROFILES_ACTIVE").getValue()).isEqualTo("postgres");
    assertThat(env.values()).noneMatch(e -> e.getValue() != null && e.getValue().contains("rehearsal"));
    assertThat(env).doesNotContainKeys("SPRING_PROFILES_DEFAULT", "SPRING_PROFILES_INCLUDE", "JAVA_TOOL_OPTIONS");
    assertThat(r.container().getArgs()).isNullOrEmpty();
    assertThat(r.container().getCommand()).as("the image's entrypoint").isNullOrEmpty();
    assertThat(env.get("UPGRADE_BUILTINSITES").getValue()).isEqualTo("false");
    assertThat(env.get("UPGRADE_KUBERNETES_INCLUSTER").getValue()).isEqualTo("true");
    assertThat(env.get("UPGRADE_DB_URL").getValue()).startsWith("jdbc:postgresql://");

    // the sites directory is the site ConfigMap's mount, holding the application's own site file
    String sitesDir = env.get("UPGRADE_SITESDIR").getValue();
    VolumeMount mount = mountAt(r, sitesDir);
    Volume volume = volume(r, mount.getName());
    ConfigMap siteMap = r.all(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals(volume.getConfigMap().getName())).findFirst().orElseThrow();
    assertThat(siteMap.getData()).containsOnlyKeys(site + ".yaml");
    String file = siteMap.getData().get(site + ".yaml");
    assertThat(file).isEqualTo(Files.readString(Path.of("src/main/resources/sites", site + ".yaml")));
    Files.writeString(dir.resolve(site + ".yaml"), file);
    assertThat(new Sites(new SiteProperties(dir, false)).ids()).containsExactly(site);

    // the image's user; nothing written outside /tmp
    assertThat(r.podSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(r.podSpec().getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(r.container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(r.container().getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(volume(r, mountAt(r, "/tmp").getName()).getEmptyDir()).isNotNull();
    assertThat(r.podSpec().getServiceAccountName()).isEqualTo(r.one(ServiceAccount.class).getMetadata().getName());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void probesCallTheActuatorsHealthGroupsOnTheServedPort(String environment, String site) {
    Rendered r = render(environment, site);
    Container c = r.container();
    assertThat(c.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(8080);
    });
    assertProbe(c.getLivenessProbe(), LIVENESS_PATH);
    assertProbe(c.getReadinessProbe(), READINESS_PATH);
    assertProbe(c.getStartupProbe(), LIVENESS_PATH);
    assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
        .as("seconds a start may take").isGreaterThanOrEqualTo(180);

    Service service = r.one(Service.class);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    assertThat(service.getSpec().getSelector()).isEqualTo(r.one(Deployment.class).getSpec().getSelector().getMatchLabels());
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void rbacAllowsExactlyWhatTheCleanUpDoesInTheSitesNamespaces(String environment, String site) {
    Rendered r = render(environment, site);
    Site.Kubernetes k = site(site).kubernetes();
    Set<String> cleanupNamespaces = new LinkedHashSet<>(k.cscNamespaces());
    cleanupNamespaces.add(k.loveNamespace());
    cleanupNamespaces.add(k.uwsNamespace());
    String account = r.one(ServiceAccount.class).getMetadata().getName();

    List<Role> roles = r.all(Role.class);
    assertThat(roles).extracting(role -> role.getMetadata().getNamespace()).containsExactlyInAnyOrderElementsOf(cleanupNamespaces);
    for (Role role : roles) {
      String ns = role.getMetadata().getNamespace();
      Map<String, Set<String>> verbs = verbsByResource(role.getRules());
      assertThat(verbs.get("batch/jobs")).as(ns).containsExactlyInAnyOrder("get", "list", "watch", "delete");
      assertThat(verbs.get("/pods")).as(ns + ": pods are listed and watched, never deleted (the Job's GC does)")
          .containsExactlyInAnyOrder("get", "list", "watch");
      if (ns.equals(k.loveNamespace())) {
        assertThat(verbs).as(ns).containsOnlyKeys("batch/jobs", "/pods", "apps/deployments", "autoscaling/horizontalpodautoscalers");
        assertThat(verbs.get("apps/deployments")).containsExactlyInAnyOrder("get", "list", "watch", "delete");
        assertThat(verbs.get("autoscaling/horizontalpodautoscalers")).containsExactlyInAnyOrder("get", "list", "watch", "delete");
      } else {
        assertThat(verbs).as(ns).containsOnlyKeys("batch/jobs", "/pods");
      }
      RoleBinding binding = r.all(RoleBinding.class).stream()
          .filter(b -> ns.equals(b.getMetadata().getNamespace())).findFirst().orElseThrow();
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(s.getName()).isEqualTo(account);
        assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
      });
    }
    assertThat(r.all(RoleBinding.class)).hasSameSizeAs(roles);

    // cluster-wide: only the Nublado user namespaces' deletion, which RBAC cannot narrow further
    ClusterRole cluster = r.one(ClusterRole.class);
    assertThat(verbsByResource(cluster.getRules())).containsOnlyKeys("/namespaces");
    assertThat(verbsByResource(cluster.getRules()).get("/namespaces")).containsExactlyInAnyOrder("get", "list", "watch", "delete");
    ClusterRoleBinding clusterBinding = r.one(ClusterRoleBinding.class);
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(cluster.getMetadata().getName());
    assertThat(clusterBinding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo(account));

    // no wildcard anywhere, and no access to secrets
    Stream.concat(roles.stream().flatMap(role -> role.getRules().stream()), cluster.getRules().stream()).forEach(rule -> {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*", "secrets");
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResourceNames()).isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    });
  }

  @Test
  void withoutTheNubladoCleanUpNothingIsClusterWide() {
    var template = new Helm(CHART).template().withName("upgrade-orchestrator")
        .withValuesFile(CHART.resolve("values-summit.yaml")).set("rbac.nubladoCleanup", "false");
    GLOBALS.forEach(template::set);
    String text = template.call();
    assertThat(text).doesNotContain("kind: ClusterRole");
  }

  private static Map<String, Set<String>> verbsByResource(List<PolicyRule> rules) {
    Map<String, Set<String>> result = new LinkedHashMap<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          result.computeIfAbsent(group + "/" + resource, x -> new LinkedHashSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    return result;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void secretsComeOnlyFromTheVaultSecret(String environment, String site) throws IOException {
    Rendered r = render(environment, site);
    GenericKubernetesResource vault = r.vaultSecret();
    assertThat(vault.getApiVersion()).isEqualTo("ricoberger.de/v1alpha1");
    assertThat(((Map<?, ?>) vault.getAdditionalProperties().get("spec")).get("path"))
        .isEqualTo(GLOBALS.get("global.vaultSecretsPath") + "/upgrade-orchestrator");
    String secretName = vault.getMetadata().getName();
    assertThat(r.objects()).noneMatch(o -> o.getKind().equals("Secret"));

    Map<String, EnvVar> env = r.env();
    // every secret-looking variable, and every credential the site file names, is a secretKeyRef
    Set<String> expected = new LinkedHashSet<>(List.of("UPGRADE_ADMIN_PASSWORD", "UPGRADE_DB_PASSWORD", "SLACK_SIGNING_SECRET",
        "UPGRADE_METRICS_PASSWORD"));
    Site.Credentials c = site(site).credentials();
    Stream.of(c.loveUsernameEnv(), c.lovePasswordEnv(), c.argocdTokenEnv(), c.argocdUsernameEnv(), c.argocdPasswordEnv(),
        c.kafkaUsernameEnv(), c.kafkaPasswordEnv(), c.slackTokenEnv()).filter(n -> n != null).forEach(expected::add);
    for (String name : expected) {
      assertThat(env).as(site + " passes " + name).containsKey(name);
    }
    env.values().stream().filter(e -> expected.contains(e.getName()) || SECRET_NAME.matcher(e.getName()).matches())
        .forEach(e -> {
          assertThat(e.getValue()).as(e.getName() + " has no literal value").isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).as(e.getName()).isEqualTo(secretName);
        });
    assertThat(env.get("UPGRADE_ADMIN_PASSWORD").getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);
    assertThat(env.get("UPGRADE_DB_PASSWORD").getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);

    // the SSH key and known_hosts: files of the same Secret, where upgrade.ssh points
    Volume ssh = volume(r, mountAt(r, parent(env.get("UPGRADE_SSH_KEYFILE").getValue())).getName());
    assertThat(ssh.getSecret().getSecretName()).isEqualTo(secretName);
    assertThat(ssh.getSecret().getDefaultMode()).isEqualTo(0440);
    Map<String, String> files = new LinkedHashMap<>();
    ssh.getSecret().getItems().forEach(i -> files.put(i.getKey(), i.getPath()));
    assertThat(files).containsEntry("ssh-private-key", fileName(env.get("UPGRADE_SSH_KEYFILE").getValue()))
        .containsEntry("ssh-known-hosts", fileName(env.get("UPGRADE_SSH_KNOWNHOSTSFILE").getValue()));
    assertThat(parent(env.get("UPGRADE_SSH_KNOWNHOSTSFILE").getValue())).isEqualTo(parent(env.get("UPGRADE_SSH_KEYFILE").getValue()));

    // every key read is described in the application's secrets.yaml (Phalanx's list of its Vault keys)
    Set<String> keys = new LinkedHashSet<>(files.keySet());
    env.values().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .forEach(e -> keys.add(e.getValueFrom().getSecretKeyRef().getKey()));
    JsonNode described = YAML.readTree(CHART.resolve("secrets.yaml").toFile());
    for (String key : keys) {
      assertThat(described.path(key).path("description").asText()).as("secrets.yaml describes " + key).isNotBlank();
    }

    // nothing that looks like a secret value anywhere in the manifests
    assertThat(r.text()).doesNotContainPattern("-----BEGIN [A-Z ]*PRIVATE KEY-----")
        .doesNotContainPattern("xox[abpr]-[0-9A-Za-z-]+")
        .doesNotContainPattern("(?i)(password|secret|token)[ \\t]*[:=][ \\t]*[^\\s{]+");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void logsAreStructuredAndPrometheusScrapesAsItsOwnUser(String environment, String site) {
    Rendered r = render(environment, site);
    assertThat(r.env().get("LOGGING_STRUCTURED_FORMAT_CONSOLE").getValue()).isEqualTo("ecs");
    assertThat(r.all(GenericKubernetesResource.class)).noneMatch(o -> o.getKind().equals("ServiceMonitor"));

    Rendered monitored = render(environment, site, Map.of("metrics.serviceMonitor.enabled", "true", "logging.format", ""));
    assertThat(monitored.env()).doesNotContainKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");
    GenericKubernetesResource monitor = monitored.all(GenericKubernetesResource.class).stream()
        .filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
    JsonNode endpoint = YAML.valueToTree(monitor.getAdditionalProperties().get("spec")).path("endpoints").path(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/actuator/prometheus");
    // the password is the one the Deployment gives the application, from the VaultSecret
    var password = monitored.env().get("UPGRADE_METRICS_PASSWORD").getValueFrom().getSecretKeyRef();
    assertThat(endpoint.path("basicAuth").path("password").path("name").asText()).isEqualTo(password.getName());
    assertThat(endpoint.path("basicAuth").path("password").path("key").asText()).isEqualTo(password.getKey());
    Secret user = monitored.all(Secret.class).stream()
        .filter(s -> s.getMetadata().getName().equals(endpoint.path("basicAuth").path("username").path("name").asText()))
        .findFirst().orElseThrow();
    assertThat(user.getStringData()).containsEntry("username", "prometheus");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"summit, summit", "tucson-teststand, tts", "base-teststand, bts"})
  void theIngressRoutesTheWebappsTheApisAndSlackToTheService(String environment, String site) {
    Rendered r = render(environment, site);
    Ingress ingress = r.one(Ingress.class);
    assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getHost()).isEqualTo(GLOBALS.get("global.host"));
      Map<String, String> paths = new LinkedHashMap<>();
      for (HTTPIngressPath p : rule.getHttp().getPaths()) {
        paths.put(p.getPath(), p.getPathType());
        assertThat(p.getBackend().getService().getName()).isEqualTo(r.one(Service.class).getMetadata().getName());
        assertThat(p.getBackend().getService().getPort().getName()).isEqualTo("http");
      }
      assertThat(paths).containsExactlyInAnyOrderEntriesOf(Map.of("/camunda", "Prefix", "/api", "Prefix",
          "/engine-rest", "Prefix", "/slack/commands", "Exact", "/slack/interactions", "Exact"));
    });
  }

  @Test
  void theChartsSiteFilesAreTheApplicationsOwn() throws IOException {
    try (Stream<Path> files = Files.list(CHART.resolve("sites"))) {
      List<Path> copies = files.sorted().toList();
      assertThat(copies).extracting(p -> p.getFileName().toString()).containsExactly("bts.yaml", "summit.yaml", "tts.yaml");
      for (Path copy : copies) {
        assertThat(copy).as("copy " + copy + " of src/main/resources/sites (cp them again after a change)")
            .hasSameTextualContentAs(Path.of("src/main/resources/sites").resolve(copy.getFileName()));
      }
    }
  }

  private static VolumeMount mountAt(Rendered r, String path) {
    return r.container().getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
  }

  private static Volume volume(Rendered r, String name) {
    return r.podSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  private static String parent(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static Path copyChart(Path dir) throws IOException {
    Path target = dir.resolve("upgrade-orchestrator");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path p : files.toList()) {
        Path t = target.resolve(CHART.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }

  private static void merge(ObjectNode into, JsonNode from) {
    from.fields().forEachRemaining(e -> {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    });
  }
}
