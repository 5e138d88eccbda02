package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.UpgradeOrchestratorApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The image {@code ./mvnw verify} writes ({@code target/jib-image.tar}, docker-save format: a
 * manifest, the image config and one gzipped tar per layer), opened without a Docker engine. Runs in
 * failsafe's integration-test phase, after Jib wrote the tar in the package phase. Without the tar
 * (not built: a non-Linux machine, or only {@code test} was run) it skips saying so, except under
 * CI ({@code CI=true}), where it fails.
 */
class ImageTests {
  static final Path IMAGE_TAR = Path.of("target", "jib-image.tar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAIN_CLASS = UpgradeOrchestratorApplication.class.getName();

  static JsonNode manifest;
  static JsonNode config;
  /** Layer file name -> its entries (app/jib-* files, etc/passwd and java's release file with content). */
  static Map<String, Map<String, TarReader.Entry>> layers = new LinkedHashMap<>();
  /** Every path of the image (the last layer that has it wins). */
  static Map<String, TarReader.Entry> files = new LinkedHashMap<>();

  @BeforeAll
  static void open() throws IOException {
    if (!Files.isRegularFile(IMAGE_TAR)) {
      String why = IMAGE_TAR + " was not built (the package phase writes it on Linux: ./mvnw verify)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; under CI the image is mandatory");
      }
      Assumptions.abort(why + "; skipped outside CI");
    }
    Map<String, byte[]> top = new LinkedHashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(IMAGE_TAR))) {
      TarReader.read(in, name -> name.endsWith(".json")).forEach((name, e) -> {
        if (e.content() != null) {
          top.put(name, e.content());
        }
      });
    }
    manifest = JSON.readTree(top.get("manifest.json")).get(0);
    config = JSON.readTree(top.get(manifest.path("Config").asText()));
    for (JsonNode layer : manifest.path("Layers")) {
      String name = layer.asText();
      layers.put(name, layerEntries(name));
      files.putAll(layers.get(name));
    }
  }

  private static Map<String, TarReader.Entry> layerEntries(String layer) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(IMAGE_TAR))) {
      byte[] header = new byte[512];
      // walk the outer tar to the layer, then read the layer's own (gzipped) tar from there
      while (in.readNBytes(header, 0, 512) == 512) {
        String name = TarReader.normalize(new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", ""));
        long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.UTF_8).replace("\0", "").trim(), 8);
        if (name.equals(layer)) {
          InputStream body = new BoundedInputStream(in, size);
          InputStream content = layer.endsWith(".gz") ? new GZIPInputStream(body, 65536) : body;
          return TarReader.read(content, n -> n.startsWith("app/jib-") || n.equals("etc/passwd") || n.endsWith("/release"));
        }
        in.skipNBytes(size + (512 - size % 512) % 512);
      }
    }
    throw new IOException("layer " + layer + " is not in " + IMAGE_TAR);
  }

  private static JsonNode container() {
    return config.path("config");
  }

  private static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  private static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String kv : strings(container().path("Env"))) {
      int eq = kv.indexOf('=');
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return env;
  }

  @Test
  void theEntrypointRunsTheApplicationsMainClassOnTheImagesClasspath() throws Exception {
    List<String> entrypoint = strings(container().path("Entrypoint"));
    assertThat(entrypoint).containsExactly("java", "-cp", "@/app/jib-classpath-file", MAIN_CLASS);
    assertThat(container().path("Cmd").isMissingNode() || container().path("Cmd").isNull()
        || container().path("Cmd").isEmpty()).as("no CMD: arguments after the image name go to the application").isTrue();

    Class<?> main = Class.forName(MAIN_CLASS);
    assertThat(main).hasAnnotation(SpringBootApplication.class);
    Method m = main.getMethod("main", String[].class);
    assertThat(Modifier.isStatic(m.getModifiers())).isTrue();
    assertThat(files).containsKey("app/classes/" + MAIN_CLASS.replace('.', '/') + ".class");

    // `java` is on the image's PATH, executable
    String java = null;
    for (String dir : env().get("PATH").split(":")) {
      TarReader.Entry e = files.get(TarReader.normalize(dir + "/java"));
      if (e != null && e.isFile() && (e.mode() & 0111) == 0111) {
        java = dir + "/java";
      }
    }
    assertThat(java).as("an executable java on PATH " + env().get("PATH")).isNotNull();

    // every classpath entry is in the image
    String classpath = files.get("app/jib-classpath-file").text().strip();
    assertThat(classpath.split(":")).contains("/app/resources", "/app/classes")
        .allSatisfy(entry -> assertThat(files).as(entry).containsKey(TarReader.normalize(entry)));
    assertThat(files.get("app/jib-main-class-file").text().strip()).isEqualTo(MAIN_CLASS);
  }

  @Test
  void theUserIsNotRoot() {
    String user = container().path("User").asText();
    assertThat(user).isEqualTo("65532:65532");
    TarReader.Entry passwd = files.get("etc/passwd");
    if (passwd != null) {
      assertThat(passwd.text()).contains("nonroot:x:65532:65532:");
    }
    // the working directory is writable for that user
    TarReader.Entry workdir = files.get(TarReader.normalize(container().path("WorkingDir").asText()));
    assertThat(workdir).isNotNull();
    assertThat(workdir.isDirectory()).isTrue();
    assertThat(workdir.uid() == 65532 || (workdir.mode() & 01002) == 01002)
        .as("working directory %s writable by 65532 (mode %o)", workdir.name(), workdir.mode()).isTrue();
  }

  @Test
  void theHeapFollowsTheContainersMemoryLimit() {
    String options = env().get("JAVA_TOOL_OPTIONS");
    assertThat(options).contains("-XX:MaxRAMPercentage=75").contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
  }

  @Test
  void theServerPortIsExposed() {
    List<String> ports = new ArrayList<>();
    container().path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactly("8080/tcp");
  }

  @Test
  void dependenciesResourcesAndClassesAreSeparateLayers() {
    String deps = layerWith("app/libs/sshd-core-");
    String classes = layerWith("app/classes/" + MAIN_CLASS.replace('.', '/') + ".class");
    String resources = layerWith("app/resources/application.yaml");
    assertThat(List.of(deps, classes, resources)).doesNotHaveDuplicates();
    List<String> order = new ArrayList<>(layers.keySet());
    assertThat(order.indexOf(deps)).as("dependencies below the application").isLessThan(order.indexOf(classes));

    assertThat(layers.get(deps).keySet()).allSatisfy(n -> assertThat(n).matches("app|app/libs|app/libs/[^/]+\\.jar"));
    assertThat(layers.get(classes).keySet()).allSatisfy(n -> assertThat(n).matches("app|app/classes(/.*)?")
        .doesNotEndWith(".jar"));
    assertThat(layers.get(resources).keySet()).allSatisfy(n -> assertThat(n).matches("app|app/resources(/.*)?"));
    assertThat(layers.get(resources)).containsKeys("app/resources/processes/full-upgrade.bpmn",
        "app/resources/sites/summit.yaml");

    // runtime dependencies only: BouncyCastle is runtime-scoped, the test libraries stay out
    List<String> jars = layers.get(deps).keySet().stream().filter(n -> n.endsWith(".jar"))
        .map(n -> n.substring("app/libs/".length())).toList();
    assertThat(jars).anyMatch(j -> j.startsWith("bcprov-jdk18on-")).anyMatch(j -> j.startsWith("camunda-engine-"))
        .noneMatch(j -> j.startsWith("awaitility-") || j.startsWith("helm-java") || j.startsWith("junit-")
            || j.startsWith("assertj-") || j.startsWith("camunda-bpm-assert"));
  }

  @Test
  void theImageIsTaggedForDockerCompose() {
    assertThat(strings(manifest.path("RepoTags"))).contains("upgrade-orchestrator:latest");
  }

  @Test
  void theJavaRuntimeIsAJava17OrLater() {
    String home = env().get("JAVA_HOME");
    assertThat(home).isNotNull();
    TarReader.Entry release = files.get(TarReader.normalize(home + "/release"));
    assertThat(release).as(home + "/release").isNotNull();
    String version = release.text().lines().filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElseThrow()
        .replaceAll("JAVA_VERSION=\"?([0-9]+).*", "$1");
    assertThat(Integer.parseInt(version)).isGreaterThanOrEqualTo(17);
  }

  /**
   * The entrypoint, run as the image's user inside the image's own filesystem (the layers unpacked,
   * chroot, its own /proc): the JVM starts with JAVA_TOOL_OPTIONS, Spring Boot starts the application,
   * and the application refuses a missing sites directory with its own message. Needs root on Linux
   * (chroot, unshare); skipped otherwise, except under CI.
   */
  @Test
  void theEntrypointStartsTheApplicationInTheImagesOwnFilesystem(@TempDir Path dir) throws Exception {
    Path unshare = Path.of("/usr/bin/unshare");
    Path chroot = Files.isExecutable(Path.of("/usr/sbin/chroot")) ? Path.of("/usr/sbin/chroot") : Path.of("/usr/bin/chroot");
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean possible = root && System.getProperty("os.name").equals("Linux") && Files.isExecutable(unshare)
        && Files.isExecutable(chroot);
    if (!possible) {
      String why = "running the image's entrypoint needs root on Linux with unshare and chroot";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; CI runs as root");
      }
      Assumptions.abort(why + "; skipped");
    }
    Path rootfs = Files.createDirectory(dir.resolve("rootfs"));
    for (String layer : layers.keySet()) {
      extract(layer, rootfs);
    }
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.copy(Path.of("/etc/hosts"), rootfs.resolve("etc/hosts")); // a container runtime mounts one

    List<String> command = new ArrayList<>(List.of(unshare.toString(), "--mount", "--pid", "--fork",
        "--mount-proc=" + rootfs.resolve("proc"), chroot.toString(), "--userspec=" + container().path("User").asText(),
        rootfs.toString()));
    command.addAll(strings(container().path("Entrypoint")));
    command.addAll(List.of("--spring.profiles.active=image-test", "--server.port=0", "--camunda.bpm.webapp.enabled=false",
        "--spring.datasource.url=jdbc:h2:mem:image", "--upgrade.security.admin-password=x",
        "--upgrade.sites-dir=/no-such-directory"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.txt").toFile());
    pb.environment().clear();
    pb.environment().putAll(env());
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the application neither started nor refused within 3 minutes: " + Files.readString(dir.resolve("output.txt")));
    }
    String output = Files.readString(dir.resolve("output.txt"));
    assertThat(output).as(output)
        .contains("Picked up JAVA_TOOL_OPTIONS: " + env().get("JAVA_TOOL_OPTIONS"))
        .contains("Starting UpgradeOrchestratorApplication")
        .contains("APPLICATION FAILED TO START")
        .contains("upgrade.sites-dir is not a directory");
    assertThat(p.exitValue()).isEqualTo(1);
  }

  private static void extract(String layer, Path rootfs) throws IOException, InterruptedException {
    // GNU tar from the outer tar's member: keeps modes and numeric owners
    Process p = new ProcessBuilder("sh", "-c", "tar -xOf \"$0\" \"$1\" | tar -x" + (layer.endsWith(".gz") ? "z" : "")
        + " --numeric-owner -C \"$2\"", IMAGE_TAR.toAbsolutePath().toString(), layer, rootfs.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("unpacking " + layer + ": " + out).isZero();
  }

  private static String layerWith(String path) {
    return layers.entrySet().stream().filter(e -> e.getValue().keySet().stream().anyMatch(n -> n.startsWith(path)))
        .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no layer has " + path));
  }

  /** A view of the next {@code size} bytes of a stream. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInputStream(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int r = in.read(b, off, (int) Math.min(len, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }
  }
}
