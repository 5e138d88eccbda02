package org.lsst.ts.upgrade.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a site file can be wrong stops loading with one message naming file, path and problem. */
class SiteFileValidationTests {

  /** A small but complete site file; each test breaks one thing in it. */
  static final String VALID = """
      id: lab
      display-name: Test Lab
      endpoints:
        love: https://lab.example.org/love
        argocd: https://lab.example.org/argo-cd
        schema-registry: https://lab.example.org/schema-registry
        kafka-bootstrap: kafka.lab.example.org:9094
      slack:
        channel: "#lab"
      kubernetes:
        context: lab
        csc-namespaces: [auxtel]
      argocd:
        telescope-apps: [auxtel]
      hosts:
        - name: auxtel-mcm
          hostname: auxtel-mcm.lab.example.org
          role: CAMERA_MCM
          cscs: [ATCamera]
      cscs:
        - {id: ATDome, namespace: auxtel}
        - {id: "ScriptQueue:2", namespace: auxtel}
        - {id: ATCamera, host: auxtel-mcm}
      """;

  static Site read(String yaml) {
    return SiteFileReader.read("sites/lab.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "lab");
  }

  static void assertRejected(String yaml, String path, String problem) {
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOf(SiteConfigurationException.class)
        .hasMessageContaining("sites/lab.yaml")
        .hasMessageContaining(path)
        .hasMessageContaining(problem);
  }

  @Test
  void theValidFileLoadsWithDefaults() {
    Site s = read(VALID);
    assertThat(s.id()).isEqualTo("lab");
    assertThat(s.cscIds()).containsExactly(CscId.of("ATDome"), CscId.of("ScriptQueue", 2), CscId.of("ATCamera"));
    assertThat(s.endpoints().kafkaTopicSubname()).isEqualTo("sal");
    assertThat(s.endpoints().topic("ATDome", "heartbeat")).isEqualTo("lsst.sal.ATDome.heartbeat");
    assertThat(s.host("auxtel-mcm")).hasValueSatisfying(h -> assertThat(h.port()).isEqualTo(22));
    assertThat(s.argocd().parentApp()).isEqualTo("science-platform");
  }

  @Test
  void minimalTestingTelescopesAreACopyNotTheCallersList() {
    Site s = read(VALID);
    java.util.List<String> telescopes = new java.util.ArrayList<>(java.util.List.of("auxtel"));
    Site withList = SiteDefaults.apply(new Site(s.id(), s.displayName(), s.endpoints(), s.credentials(), s.slack(),
        s.kubernetes(), s.argocd(), s.cscs(), s.hosts(), s.enabledOnStart(), s.enableAtEnd(),
        new Site.MinimalTesting(true, telescopes), s.chronografDashboards(), s.loveSummaryView(),
        s.m2ClosedLoopBeforeShutdown(), s.enableAllAfterRecovery()));
    telescopes.add("maintel");
    assertThat(withList.minimalTesting().telescopes()).containsExactly("auxtel");
    assertThatThrownBy(() -> withList.minimalTesting().telescopes().add("maintel"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unknownKeyAtTopLevel() {
    assertRejected(VALID + "colour: blue\n", "(top level)", "unknown key 'colour'");
  }

  @Test
  void unknownKeyNested() {
    assertRejected(VALID.replace("  context: lab\n", "  context: lab\n  contxt: lab2\n"), "kubernetes",
        "unknown key 'contxt'");
    assertRejected(VALID.replace("{id: ATDome, namespace: auxtel}", "{id: ATDome, namespace: auxtel, behavior: NORMAL}"),
        "cscs[0]", "unknown key 'behavior'");
  }

  @Test
  void missingRequiredField() {
    assertRejected(VALID.replace("display-name: Test Lab\n", ""), "display-name", "is required");
    assertRejected(VALID.replace("  love: https://lab.example.org/love\n", ""), "endpoints.love", "is required");
    assertRejected(VALID.replace("    hostname: auxtel-mcm.lab.example.org\n", ""), "hosts[0].hostname", "is required");
  }

  @Test
  void duplicateCscId() {
    assertRejected(VALID.replace("{id: \"ScriptQueue:2\", namespace: auxtel}", "{id: ATDome, namespace: auxtel}"),
        "cscs[1].id", "duplicate CSC id 'ATDome'");
  }

  @Test
  void cscIdNotOfTheFormNameIndex() {
    assertRejected(VALID.replace("\"ScriptQueue:2\"", "\"ScriptQueue-2\""), "cscs[1].id",
        "cscs[1].id: 'ScriptQueue-2' is not a CSC id: expected Name or Name:index");
    assertRejected(VALID.replace("{id: ATDome,", "{id: \"atdome\","), "cscs[0].id", "is not a CSC id");
    assertRejected(VALID.replace("cscs: [ATCamera]", "cscs: [\"AT Camera\"]"), "hosts[0].cscs[0]", "is not a CSC id");
  }

  @Test
  void unknownEnumValueListsTheAllowedOnes() {
    assertRejected(VALID.replace("role: CAMERA_MCM", "role: CAMERA"), "hosts[0].role", "'CAMERA' is not one of ");
  }

  @Test
  void invalidHostName() {
    assertRejected(VALID.replace("auxtel-mcm.lab.example.org", "auxtel_mcm;reboot"), "hosts[0].hostname",
        "'auxtel_mcm;reboot' is not a valid host name");
  }

  @Test
  void invalidUrl() {
    assertRejected(VALID.replace("https://lab.example.org/argo-cd", "lab.example.org/argo-cd"), "endpoints.argocd",
        "is not an http(s) URL with a host");
    assertRejected(VALID.replace("https://lab.example.org/love", "https://lab example/love"), "endpoints.love",
        "is not a valid URL");
  }

  @Test
  void allProblemsOfAFileAreReportedTogether() {
    String yaml = VALID.replace("display-name: Test Lab\n", "").replace("auxtel-mcm.lab.example.org", "bad host");
    assertThatThrownBy(() -> read(yaml)).isInstanceOfSatisfying(SiteConfigurationException.class,
        e -> assertThat(e.problems()).hasSize(2));
  }

  @Test
  void theIdMustMatchTheFileName() {
    assertRejected(VALID.replace("id: lab", "id: other"), "id", "does not match the file name 'lab.yaml'");
  }

  @Test
  void theShippedSitesLoad() {
    var sites = Sites.load(null);
    assertThat(sites.keySet()).containsExactly("bts", "summit", "tts");
    assertThat(sites.get("summit").cscs()).isNotEmpty();
    assertThat(sites.get("tts").minimalTesting().takesImages()).isFalse();
  }

  @Test
  void extraSitesComeFromTheSitesDir(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("lab.yaml"), VALID);
    Files.writeString(dir.resolve("README.txt"), "not a site file");
    Sites sites = new Sites(new SiteProperties(dir));
    assertThat(sites.ids()).containsExactly("bts", "summit", "tts", "lab");
    assertThat(sites.require("lab").displayName()).isEqualTo("Test Lab");
  }

  @Test
  void anInvalidFileInTheSitesDirNamesItsPath(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("lab.yaml"), VALID.replace("https://lab.example.org/love", "ftp://lab.example.org"));
    assertThatThrownBy(() -> new Sites(new SiteProperties(dir)))
        .isInstanceOf(SiteConfigurationException.class)
        .hasMessageContaining(dir.resolve("lab.yaml").toString())
        .hasMessageContaining("endpoints.love")
        .hasMessageContaining("is not an http(s) URL");
  }

  @Test
  void aSitesDirCannotRedefineASite(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tts.yaml"), VALID.replace("id: lab", "id: tts"));
    assertThatThrownBy(() -> new Sites(new SiteProperties(dir)))
        .hasMessageContaining(dir.resolve("tts.yaml").toString())
        .hasMessageContaining("site 'tts' is already defined by classpath:sites/tts.yaml");
  }

  @Test
  void withoutTheBuiltinSitesOnlyTheSitesDirIsServedAndMayHoldAPackagedSitesId(@TempDir Path dir) throws IOException {
    // a cluster deployment: the chart mounts its one site file (here the Tucson test stand's id)
    Files.writeString(dir.resolve("tts.yaml"), VALID.replace("id: lab", "id: tts"));
    Sites sites = new Sites(new SiteProperties(dir, false));
    assertThat(sites.ids()).containsExactly("tts");
    assertThat(sites.require("tts").displayName()).isEqualTo("Test Lab");
    assertThatThrownBy(() -> sites.require("summit")).isInstanceOf(UnknownSiteException.class);
  }

  @Test
  void withoutTheBuiltinSitesASitesDirWithASiteIsRequired(@TempDir Path dir) {
    assertThatThrownBy(() -> new Sites(new SiteProperties(null, false)))
        .hasMessageContaining("upgrade.sites-dir").hasMessageContaining("is required when upgrade.builtin-sites is false");
    assertThatThrownBy(() -> new Sites(new SiteProperties(dir, false)))
        .hasMessageContaining(dir.toString()).hasMessageContaining("no site to serve");
  }

  @Test
  void aMissingSitesDirIsAnError(@TempDir Path dir) {
    assertThatThrownBy(() -> new Sites(new SiteProperties(dir.resolve("nope"))))
        .hasMessageContaining("upgrade.sites-dir is not a directory");
  }
}
