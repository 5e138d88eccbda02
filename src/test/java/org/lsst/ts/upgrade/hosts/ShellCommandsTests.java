package org.lsst.ts.upgrade.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellCommandsTests {
  private static final String UPDATE = "sudo -iu dco ./update_repo {repo} {branch}";

  @Test
  void quotesValidatedParameters() {
    assertThat(ShellCommands.render(new HostCommand(UPDATE, Map.of("repo", "docker-compose-ops/", "branch", "tickets/DM-1234"))))
        .isEqualTo("sudo -iu dco ./update_repo 'docker-compose-ops/' 'tickets/DM-1234'");
    assertThat(ShellCommands.render(HostCommand.of("/etc/init.d/ts-VMS stop"))).isEqualTo("/etc/init.d/ts-VMS stop");
    assertThat(ShellCommands.quote("it's")).isEqualTo("'it'\\''s'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"main; rm -rf /", "$(reboot)", "`id`", "main'", "a\"b", "main\nrm -rf /", "-rf", "a..b",
      "a b", "x|y", "x&y", "x>y"})
  void rejectsInjectionInBranchNamingTheParameter(String branch) {
    assertThatThrownBy(() -> ShellCommands.render(new HostCommand(UPDATE, Map.of("repo", "docker-compose-ops", "branch", branch))))
        .isInstanceOf(HostCommandRejectedException.class)
        .hasMessageContaining("parameter 'branch'")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc", "/etc/passwd", "repo; id", "$(id)", "re'po", "re\npo", " repo"})
  void rejectsBadRepositoryPaths(String repo) {
    assertThatThrownBy(() -> ShellCommands.render(new HostCommand(UPDATE, Map.of("repo", repo, "branch", "main"))))
        .isInstanceOf(HostCommandRejectedException.class)
        .hasMessageContaining("parameter 'repo'");
  }

  @Test
  void rejectsBadCscNamesUnknownMissingAndUnusedParameters() {
    assertThat(ShellCommands.render(new HostCommand("echo {csc}", Map.of("csc", "MTVMS:1")))).isEqualTo("echo 'MTVMS:1'");
    assertThatThrownBy(() -> ShellCommands.render(new HostCommand("echo {csc}", Map.of("csc", "MTVMS;id"))))
        .hasMessageContaining("parameter 'csc'");
    assertThatThrownBy(() -> ShellCommands.render(new HostCommand("echo {path}", Map.of("path", "x"))))
        .hasMessageContaining("unknown parameter {path}");
    assertThatThrownBy(() -> ShellCommands.render(new HostCommand(UPDATE, Map.of("repo", "x"))))
        .hasMessageContaining("parameter 'branch'").hasMessageContaining("missing");
    assertThatThrownBy(() -> ShellCommands.render(new HostCommand("true", Map.of("branch", "main"))))
        .hasMessageContaining("not used");
    assertThatThrownBy(() -> ShellCommands.validateJobId("job; id")).hasMessageContaining("job id");
  }

  @Test
  void boundedOutputKeepsTheTail() {
    BoundedOutput out = new BoundedOutput(4);
    out.write("abcdefgh".getBytes(StandardCharsets.UTF_8), 0, 8);
    assertThat(out.text()).isEqualTo("[... 4 bytes left out ...]\nefgh");
  }

  /** The detached wrapper is real shell: run it with the local sh to prove it starts once and reports. */
  @Test
  void detachedJobRunsOnceUnderARealShell(@TempDir Path home) throws Exception {
    List<String> commands = List.of("echo first > out.txt", "cd sub 2>/dev/null || echo 'from home' >> out.txt",
        "printf '%s\\n' \"it's\" >> out.txt");
    String start = ShellCommands.detachedStart(".upgrade-orchestrator/jobs", "rebuild-1", commands);
    assertThat(sh(home, start)).isEqualTo("started");
    String status = ShellCommands.detachedStatus(".upgrade-orchestrator/jobs", "rebuild-1", 4000);
    await().atMost(Duration.ofSeconds(10)).until(() -> sh(home, status).startsWith("EXIT 0"));
    assertThat(Files.readString(home.resolve("out.txt"))).isEqualTo("first\nfrom home\nit's\n");
    // a second start (after an orchestrator restart) does not run it again
    assertThat(sh(home, start)).isEqualTo("exists");
    assertThat(Files.readString(home.resolve("out.txt"))).isEqualTo("first\nfrom home\nit's\n");
    assertThat(sh(home, ShellCommands.detachedStatus(".upgrade-orchestrator/jobs", "other", 4000))).isEqualTo("NOT_STARTED");

    String failing = ShellCommands.detachedStart(".upgrade-orchestrator/jobs", "rebuild-2",
        List.of("echo step1", "exit 3", "echo never >> out.txt"));
    assertThat(sh(home, failing)).isEqualTo("started");
    String status2 = ShellCommands.detachedStatus(".upgrade-orchestrator/jobs", "rebuild-2", 4000);
    await().atMost(Duration.ofSeconds(10)).until(() -> sh(home, status2).startsWith("EXIT 3"));
    assertThat(sh(home, status2)).isEqualTo("EXIT 3\nstep1");
    assertThat(Files.readString(home.resolve("out.txt"))).doesNotContain("never");
  }

  /** A host's sequence runs in one shell session: what one command sources is there for the next. */
  @Test
  void aDetachedSequenceKeepsTheSourcedEnvironmentUnderARealShell(@TempDir Path home) throws Exception {
    Files.writeString(home.resolve("kafka.env"), "export SAL_WORK_DIR=/opt/sal_work\n");
    Files.createDirectories(home.resolve("ts_vms"));
    List<String> commands = List.of(". ~/kafka.env && echo sourced", "cd ts_vms && echo \"$SAL_WORK_DIR\" > ../make.txt",
        "pwd > where.txt");
    String start = ShellCommands.detachedStart(".upgrade-orchestrator/jobs", "env-1", commands);
    assertThat(sh(home, start)).isEqualTo("started");
    String status = ShellCommands.detachedStatus(".upgrade-orchestrator/jobs", "env-1", 4000);
    await().atMost(Duration.ofSeconds(10)).until(() -> sh(home, status).startsWith("EXIT 0"));
    assertThat(Files.readString(home.resolve("make.txt")).strip()).isEqualTo("/opt/sal_work");
    // each command still starts from the home directory
    assertThat(Files.readString(home.resolve("where.txt")).strip()).isEqualTo(home.toRealPath().toString());
  }

  @Test
  void bootRecordKeepsTheFirstBootIdUnderARealShell(@TempDir Path home) throws Exception {
    String now = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    String record = ShellCommands.bootRecord(".upgrade-orchestrator/jobs", "reboot-azar02-42");
    assertThat(sh(home, record)).isEqualTo(now + "\n" + now);
    Path file = home.resolve(".upgrade-orchestrator/jobs/reboot-azar02-42.boot_id");
    assertThat(Files.readString(file).strip()).isEqualTo(now);
    // after a reboot the record still has the boot id of the first request
    String old = "00000000-0000-4000-8000-000000000001";
    Files.writeString(file, old + "\n");
    assertThat(sh(home, record)).isEqualTo(old + "\n" + now);
  }

  private static String sh(Path home, String command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(home.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Process q = pb.start();
    String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    q.waitFor();
    return out.strip();
  }
}
