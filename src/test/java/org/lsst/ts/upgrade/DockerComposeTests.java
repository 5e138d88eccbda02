package org.lsst.ts.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so its consistency is checked: the
 * orchestrator's environment names the services that exist, on the ports they listen on, with
 * secrets only from the caller's environment.
 */
class DockerComposeTests {
  static JsonNode services;
  static JsonNode orchestrator;
  static Map<String, String> env;

  @BeforeAll
  static void parse() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(new File("docker-compose.yml"));
    services = compose.path("services");
    orchestrator = services.path("orchestrator");
    env = environment(orchestrator);
  }

  static Map<String, String> environment(JsonNode service) {
    Map<String, String> result = new HashMap<>();
    service.path("environment").fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }

  static List<String> dependsOn(JsonNode service) {
    List<String> result = new ArrayList<>();
    JsonNode d = service.path("depends_on");
    if (d.isArray()) {
      d.forEach(n -> result.add(n.asText()));
    } else {
      d.fieldNames().forEachRemaining(result::add);
    }
    return result;
  }

  /** Container-side ports a service publishes ("8080:8080" -> 8080). */
  static List<Integer> containerPorts(JsonNode service) {
    List<Integer> result = new ArrayList<>();
    service.path("ports").forEach(p -> {
      String[] parts = p.asText().split(":");
      result.add(Integer.parseInt(parts[parts.length - 1].replaceAll("/.*", "")));
    });
    return result;
  }

  @Test
  void theStackHasTheOrchestratorPostgresKafkaAndASchemaRegistry() {
    assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("orchestrator", "postgres", "kafka",
        "schema-registry");
    assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
    assertThat(environment(services.path("kafka")).get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(services.path("schema-registry").path("image").asText()).startsWith("confluentinc/cp-schema-registry:");
    assertThat(services.path("postgres").path("image").asText()).startsWith("postgres:");
  }

  @Test
  void theOrchestratorRunsAProductionProfileOnThePostgresService() {
    List<String> profiles = List.of(env.get("SPRING_PROFILES_ACTIVE").split(","));
    assertThat(profiles).contains("postgres").doesNotContain("rehearsal");

    Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(env.get("UPGRADE_DB_URL"));
    assertThat(url.matches()).as(env.get("UPGRADE_DB_URL")).isTrue();
    Map<String, String> pg = environment(services.path("postgres"));
    assertThat(services.has(url.group(1))).as("DB host is a service").isTrue();
    assertThat(url.group(1)).isEqualTo("postgres");
    assertThat(url.group(2)).isEqualTo("5432");
    assertThat(url.group(3)).isEqualTo(pg.get("POSTGRES_DB"));
    assertThat(env.get("UPGRADE_DB_USER")).isEqualTo(pg.get("POSTGRES_USER"));
    assertThat(env.get("UPGRADE_DB_PASSWORD")).isEqualTo(pg.get("POSTGRES_PASSWORD"));
    assertThat(dependsOn(orchestrator)).containsExactlyInAnyOrder("postgres", "kafka", "schema-registry");
    assertThat(orchestrator.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
    assertThat(services.path("postgres").path("healthcheck").isMissingNode()).isFalse();
  }

  @Test
  void requiredSecretsComeFromTheEnvironmentAndNothingIsLiteral() {
    assertThat(env.get("UPGRADE_ADMIN_PASSWORD")).startsWith("${UPGRADE_ADMIN_PASSWORD:?");
    assertThat(env.get("UPGRADE_DB_PASSWORD")).startsWith("${UPGRADE_DB_PASSWORD:?");
    Pattern secret = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|_KEY).*");
    services.fields().forEachRemaining(s -> environment(s.getValue()).forEach((k, v) -> {
      if (secret.matcher(k).matches()) {
        assertThat(v).as(s.getKey() + "." + k + " must be ${...} from the caller's environment").matches("\\$\\{[A-Z0-9_]+(:[-?].*)?}");
      }
    }));
  }

  @Test
  void everyCredentialTheSiteFilesNameIsPassedThrough() {
    for (Site site : new Sites(new SiteProperties(null)).all()) {
      var c = site.credentials();
      for (String name : new String[] {c.loveUsernameEnv(), c.lovePasswordEnv(), c.argocdTokenEnv(),
          c.argocdUsernameEnv(), c.argocdPasswordEnv(), c.kafkaUsernameEnv(), c.kafkaPasswordEnv(), c.slackTokenEnv()}) {
        if (name != null) {
          assertThat(env).as(site.id() + " names " + name).containsEntry(name, "${" + name + ":-}");
        }
      }
    }
  }

  @Test
  void theStacksSiteFilePointsAtItsKafkaAndSchemaRegistry() {
    // upgrade.sites-dir through relaxed binding, mounted from the repository
    String sitesDir = env.get("UPGRADE_SITESDIR");
    String mount = null;
    for (JsonNode v : orchestrator.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[1].equals(sitesDir)) {
        mount = parts[0];
      }
    }
    assertThat(mount).as("a volume mounted at " + sitesDir).isNotNull();
    Site local = new Sites(new SiteProperties(Path.of(mount))).require("local");

    String[] bootstrap = local.endpoints().kafkaBootstrap().split(":");
    assertThat(bootstrap[0]).isEqualTo("kafka");
    assertThat(environment(services.path("kafka")).get("KAFKA_ADVERTISED_LISTENERS"))
        .contains("PLAINTEXT://kafka:" + bootstrap[1]);

    URI registry = URI.create(local.endpoints().schemaRegistry());
    assertThat(services.has(registry.getHost())).as("schema registry host is a service").isTrue();
    Map<String, String> sr = environment(services.path(registry.getHost()));
    assertThat(sr.get("SCHEMA_REGISTRY_LISTENERS")).endsWith(":" + registry.getPort());
    assertThat(sr.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS")).contains("kafka:" + bootstrap[1]);
    assertThat(dependsOn(services.path("schema-registry"))).contains("kafka");
  }

  @Test
  void theOrchestratorRunsTheImageTheBuildWrites() throws Exception {
    // jib-maven-plugin's <to><image>${image}</image>: the name `docker load -i target/jib-image.tar` gives
    var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
    String imageName = property(pom, "image");
    assertThat(imageName).isEqualTo("upgrade-orchestrator");
    assertThat(orchestrator.path("image").asText()).isEqualTo(imageName + ":${TAG:-latest}");
    // the image's entrypoint starts the application: no command, no jar mounted over it
    assertThat(orchestrator.has("command")).isFalse();
    assertThat(orchestrator.has("entrypoint")).isFalse();
    assertThat(orchestrator.path("volumes").toString()).doesNotContain(".jar");
    // server.port defaults to 8080 (application.yaml: ${PORT:8080}), the port the image exposes
    assertThat(containerPorts(orchestrator)).containsExactly(8080);
    assertThat(env).doesNotContainKey("PORT");
  }

  /** A property of the pom's own {@code <properties>} (not a profile's). */
  static String property(org.w3c.dom.Document pom, String name) {
    var projectChildren = pom.getDocumentElement().getChildNodes();
    for (int i = 0; i < projectChildren.getLength(); i++) {
      if (projectChildren.item(i).getNodeName().equals("properties")) {
        var props = projectChildren.item(i).getChildNodes();
        for (int j = 0; j < props.getLength(); j++) {
          if (props.item(j).getNodeName().equals(name)) {
            return props.item(j).getTextContent().trim();
          }
        }
      }
    }
    return null;
  }
}
