package org.lsst.ts.upgrade.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinCscs;
import org.lsst.ts.upgrade.rehearsal.TwinSshHosts;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;

/** The SSH client against the twin's SSH hosts (real MINA servers on loopback). */
@RehearsalTest
class SshRemoteHostsTests {
  private static final String SUMMIT = "summit";
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Autowired RemoteHosts hosts;
  @Autowired Sites sites;
  @Autowired SshProperties properties;
  @Autowired TwinSshHosts twin;
  @Autowired TwinCscs cscs;
  @Autowired ActionLog actions;
  @Autowired FaultRegistry faults;

  private final List<Long> injected = new ArrayList<>();
  private final List<SshRemoteHosts> clients = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    injected.forEach(faults::remove);
    clients.forEach(SshRemoteHosts::stop);
  }

  private void inject(String host, String kind, Map<String, String> params, int times) {
    injected.add(faults.inject(SUMMIT, "ssh", host, kind, params, times).id());
  }

  private Site.Host host(String name) {
    return sites.require(SUMMIT).host(name).orElseThrow();
  }

  private HostResult runAll(String host, List<String> templates) {
    return hosts.run(SUMMIT, host, templates.stream().map(HostCommand::of).toList());
  }

  /** Stops and starts the host's CSC processes with its site-file commands, then puts them back as they were. */
  private void stopAndStart(String hostName) {
    Site.Host h = host(hostName);
    Map<CscId, SummaryState> before = new LinkedHashMap<>();
    h.cscs().forEach(id -> before.put(id, cscs.get(SUMMIT, id).state()));
    assertThat(h.cscs()).isNotEmpty();

    HostResult stopped = runAll(hostName, h.shutdown());
    assertThat(stopped.ok()).as(stopped.error()).isTrue();
    assertThat(stopped.commands()).extracting(HostResult.CommandResult::command).containsExactlyElementsOf(h.shutdown());
    h.cscs().forEach(id -> assertThat(cscs.get(SUMMIT, id).beating()).as(id + " stopped").isFalse());

    HostResult started = runAll(hostName, h.startup());
    assertThat(started.ok()).as(started.error()).isTrue();
    await().atMost(DEADLINE).until(() -> h.cscs().stream().allMatch(id -> cscs.get(SUMMIT, id).beating()));
    before.forEach((id, state) -> assertThat(cscs.transitionTo(SUMMIT, id, state).ok()).isTrue());
    assertThat(actions.actions(SUMMIT)).anyMatch(a -> a.system().equals("ssh") && a.target().equals(SUMMIT + "/" + hostName)
        && a.action().equals("exec") && h.startup().get(0).equals(a.params().get("command")) && a.end() != null);
  }

  @Test
  void thePreflightsCheckConnectsRunsANoOpAndNamesWhatFailed() {
    assertThat(hosts.accessProblem(SUMMIT, "azar03")).isEmpty();
    assertThat(actions.actions(SUMMIT)).anyMatch(a -> a.target().equals(SUMMIT + "/azar03") && a.action().equals("exec")
        && "true".equals(a.params().get("command")));
    // the connection's handshake is the host's time too: from the connection to the authentication
    assertThat(actions.actions(SUMMIT)).anyMatch(a -> a.target().equals(SUMMIT + "/azar03") && a.action().equals("connect")
        && a.end() != null && a.end().isAfter(a.start()));
    inject("azar03", "down", Map.of(), 1);
    assertThat(hosts.accessProblem(SUMMIT, "azar03")).hasValueSatisfying(p -> assertThat(p).contains("azar03")
        .contains(host("azar03").hostname() + ":" + host("azar03").port()));
    inject("azar03", "changed-host-key", Map.of(), 1);
    assertThat(hosts.accessProblem(SUMMIT, "azar03")).hasValueSatisfying(p -> assertThat(p).contains("azar03")
        .containsIgnoringCase("key"));
  }

  @Test
  void cameraBridgeStopsAndStartsTheCameraCsc() {
    stopAndStart("auxtel-mcm");
  }

  @Test
  void genericCameraScriptsRunAsDco() {
    assertThat(host("azar03").shutdown()).containsExactly("sudo -iu dco ./shutdown_gc");
    stopAndStart("azar03");
  }

  @Test
  void crioInitScriptsStopAndStartTheService() {
    assertThat(host("m1m3-crio-vms").user()).isEqualTo("admin");
    stopAndStart("m1m3-crio-vms");
  }

  @Test
  void updateRepoChecksOutTheValidatedBranch() {
    Site.Host h = host("tel-hw1");
    HostResult r = hosts.run(SUMMIT, "tel-hw1", List.of(new HostCommand(h.update(),
        Map.of("repo", h.repos().get(0).path(), "branch", "tickets/DM-4242"))));
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.commands().get(0).command()).isEqualTo("sudo -iu dco ./update_repo 'docker-compose-ops' 'tickets/DM-4242'");
    assertThat(r.commands().get(0).stdout()).contains("tickets/DM-4242");
    assertThat(twin.branch(SUMMIT, "tel-hw1", "docker-compose-ops")).isEqualTo("tickets/DM-4242");
  }

  @Test
  void unknownCommandExits127AndStopsTheSequence() {
    HostResult r = runAll("tel-hw1", List.of("./no_such_script", "hostname"));
    assertThat(r.ok()).isFalse();
    assertThat(r.commands()).hasSize(1);
    assertThat(r.commands().get(0).exitStatus()).isEqualTo(127);
    assertThat(r.commands().get(0).stderr()).contains("./no_such_script: not found");
    // what failed, where, and the command's own error output: the reason an operator needs
    assertThat(r.error()).contains("summit/tel-hw1").contains("exit status 127: ").contains("./no_such_script: not found");
  }

  @Test
  void aFailedCommandsErrorOutputIsBoundedToItsEnd() {
    assertThat(SshRemoteHosts.errorOutput(null)).isEmpty();
    assertThat(SshRemoteHosts.errorOutput("  \n")).isEmpty();
    assertThat(SshRemoteHosts.errorOutput("Access denied\n")).isEqualTo(": Access denied");
    String longOutput = "x".repeat(2000) + "the reason";
    assertThat(SshRemoteHosts.errorOutput(longOutput)).hasSize(2 + 1 + SshRemoteHosts.ERROR_OUTPUT_CHARS).endsWith("the reason");
  }

  @Test
  void injectionAttemptsAreRejectedBeforeAnyConnection() {
    Site.Host h = host("tel-hw1");
    long before = sshActions();
    for (String branch : List.of("main; rm -rf /", "$(reboot)", "`id`", "main' && reboot '", "main\nsudo reboot", "a\"b")) {
      assertThatThrownBy(() -> hosts.run(SUMMIT, "tel-hw1", List.of(new HostCommand(h.update(),
          Map.of("repo", "docker-compose-ops", "branch", branch)))))
          .isInstanceOf(HostCommandRejectedException.class).hasMessageContaining("parameter 'branch'");
    }
    assertThatThrownBy(() -> hosts.run(SUMMIT, "tel-hw1", List.of(new HostCommand(h.update(),
        Map.of("repo", "../../etc; id", "branch", "main")))))
        .isInstanceOf(HostCommandRejectedException.class).hasMessageContaining("parameter 'repo'");
    // one bad parameter among many hosts: nothing is started anywhere
    Map<String, List<HostCommand>> many = new LinkedHashMap<>();
    many.put("azar03", List.of(HostCommand.of("hostname")));
    many.put("tel-hw1", List.of(new HostCommand(h.update(), Map.of("repo", "docker-compose-ops", "branch", "x;id"))));
    assertThatThrownBy(() -> hosts.runOnEach(SUMMIT, many)).hasMessageContaining("summit/tel-hw1")
        .hasMessageContaining("parameter 'branch'");
    assertThatThrownBy(() -> hosts.startDetached(SUMMIT, "m1m3-crio-ss", "job;id", List.of(HostCommand.of("true"))))
        .hasMessageContaining("job id");
    assertThatThrownBy(() -> hosts.run(SUMMIT, "evil.example.org", List.of(HostCommand.of("true"))))
        .hasMessageContaining("no host 'evil.example.org'");
    assertThat(sshActions()).isEqualTo(before);
  }

  private long sshActions() {
    return actions.actions(SUMMIT).stream().filter(a -> a.system().equals("ssh")).count();
  }

  @Test
  void aHostThatIsDownFailsAloneAndSaysWhy() {
    inject("azar03", "down", Map.of(), 0);
    Map<String, List<HostCommand>> each = new LinkedHashMap<>();
    for (String h : List.of("tel-hw1", "azar03", "love01")) {
      each.put(h, List.of(HostCommand.of("hostname")));
    }
    List<HostResult> results = hosts.runOnEach(SUMMIT, each);
    assertThat(results).extracting(HostResult::host).containsExactly("tel-hw1", "azar03", "love01");
    assertThat(results.get(0).ok()).as(results.get(0).error()).isTrue();
    assertThat(results.get(2).ok()).as(results.get(2).error()).isTrue();
    assertThat(results.get(1).ok()).isFalse();
    assertThat(results.get(1).error()).contains("summit/azar03").contains("closed the connection before the SSH handshake");
    assertThat(hosts.reachable(SUMMIT, "azar03")).isFalse();
    // the close races the client's connect (MINA fails the connect, or the handshake): the same words either way
    for (int i = 0; i < 10; i++) {
      assertThat(runAll("azar03", List.of("hostname")).error()).contains("closed the connection before the SSH handshake");
    }
  }

  @Test
  void commandFailureStopsTheSequenceWithItsExitStatus() {
    inject("flat-fiberspecred", "command-fails", Map.of("exit", "4", "message", "docker: daemon not running"), 1);
    HostResult r = runAll("flat-fiberspecred", List.of("hostname", "hostname"));
    assertThat(r.ok()).isFalse();
    assertThat(r.commands()).hasSize(1);
    assertThat(r.commands().get(0).exitStatus()).isEqualTo(4);
    assertThat(r.commands().get(0).stderr()).contains("docker: daemon not running");
  }

  @Test
  void aChangedHostKeyIsRefusedNamingHostAndFingerprints() {
    inject("love01", "changed-host-key", Map.of(), 1);
    HostResult r = runAll("love01", List.of("hostname"));
    assertThat(r.ok()).isFalse();
    assertThat(r.commands()).isEmpty();
    Object presented = actions.actions(SUMMIT).stream().filter(a -> a.action().equals("changed-host-key")
        && a.target().equals("summit/love01")).reduce((a, b) -> b).orElseThrow().params().get("fingerprint");
    assertThat(r.error()).contains("summit/love01").contains("HOST KEY CHANGED").contains((String) presented)
        .contains(twin.hostKeyFingerprint(SUMMIT, "love01"));
    // the next connection sees the right key again
    assertThat(runAll("love01", List.of("hostname")).ok()).isTrue();
  }

  @Test
  void anUnknownHostKeyIsRefused(@TempDir Path dir) throws Exception {
    Path emptyKnownHosts = Files.writeString(dir.resolve("known_hosts"), "");
    RemoteHosts strict = client(twin.keyFile(), emptyKnownHosts, properties.commandTimeout());
    HostResult r = strict.run(SUMMIT, "tel-hw1", List.of(HostCommand.of("hostname")));
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("summit/tel-hw1").contains("not in the known_hosts file")
        .contains(twin.hostKeyFingerprint(SUMMIT, "tel-hw1"));
  }

  @Test
  void aWrongUserKeyIsRefused(@TempDir Path dir) throws Exception {
    KeyPair other = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    Path key = dir.resolve("id_other");
    try (OutputStream out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(other, "other", null, out);
    }
    RemoteHosts stranger = client(key, twin.knownHostsFile(), properties.commandTimeout());
    HostResult r = stranger.run(SUMMIT, "m1m3-crio-ss", List.of(HostCommand.of("hostname")));
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("summit/m1m3-crio-ss").contains("public-key authentication as 'admin' was refused");
  }

  @Test
  void aCommandThatDoesNotFinishTimesOut() {
    inject("vms-data", "hang", Map.of(), 1);
    RemoteHosts impatient = client(twin.keyFile(), twin.knownHostsFile(), Duration.ofMillis(500));
    HostResult r = impatient.run(SUMMIT, "vms-data", List.of(HostCommand.of("hostname")));
    assertThat(r.ok()).isFalse();
    assertThat(r.commands().get(0).exitStatus()).isEqualTo(SshRemoteHosts.TIMED_OUT);
    assertThat(r.error()).contains("timed out");
  }

  @Test
  void aDetachedRebuildSurvivesAClientRestartAndRunsOnce() {
    Site.Host h = host("m1m3-crio-vms");
    String job = "rebuild-" + System.nanoTime();
    List<HostCommand> rebuild = h.rebuild().stream().map(HostCommand::of).toList();
    DetachedStatus started = hosts.startDetached(SUMMIT, h.name(), job, rebuild);
    assertThat(started.state()).isEqualTo(DetachedStatus.State.RUNNING);

    // the orchestrator restarts: a new client finds the job and does not start it again
    RemoteHosts restarted = client(twin.keyFile(), twin.knownHostsFile(), properties.commandTimeout());
    assertThat(restarted.detachedStatus(SUMMIT, h.name(), job).state()).isIn(DetachedStatus.State.RUNNING,
        DetachedStatus.State.SUCCEEDED);
    assertThat(restarted.startDetached(SUMMIT, h.name(), job, rebuild).state()).isIn(DetachedStatus.State.RUNNING,
        DetachedStatus.State.SUCCEEDED);
    await().atMost(DEADLINE).until(() -> restarted.detachedStatus(SUMMIT, h.name(), job).state() == DetachedStatus.State.SUCCEEDED);

    DetachedStatus done = restarted.detachedStatus(SUMMIT, h.name(), job);
    assertThat(done.exitStatus()).isZero();
    assertThat(done.logTail()).contains("salgeneratorKafka generate cpp MTVMS");
    List<ActionLog.Action> mine = actions.actions(SUMMIT).stream()
        .filter(a -> a.target().equals("summit/m1m3-crio-vms") && String.valueOf(a.params().get("dir")).endsWith(job)).toList();
    assertThat(mine).filteredOn(a -> a.action().equals("detached-start")).hasSize(1);
    assertThat(mine).filteredOn(a -> a.action().equals("detached-exists")).hasSize(1);
    assertThat(hosts.detachedStatus(SUMMIT, h.name(), "never-started").state()).isEqualTo(DetachedStatus.State.NOT_STARTED);
  }

  @Test
  void aCrioBuildWhoseEnvironmentWasNotSourcedInTheSameShellFails() {
    // the old script: each command in a subshell of its own, so kafka.env is gone when make runs
    Site.Host h = host("m1m3-crio-vms");
    String job = "rebuild-subshells-" + System.nanoTime();
    String dir = properties.jobDir() + "/" + job;
    StringBuilder lines = new StringBuilder();
    lines.append(' ').append(ShellCommands.quote("echo $$ > " + ShellCommands.quote(dir + "/pid"))).append(' ')
        .append(ShellCommands.quote("s=0"));
    for (String c : h.rebuild()) {
      lines.append(' ').append(ShellCommands.quote("[ $s -eq 0 ] && { (cd || exit 1; " + c + "); s=$?; }"));
    }
    String oldStart = "mkdir -p " + ShellCommands.quote(properties.jobDir()) + " && if mkdir " + ShellCommands.quote(dir)
        + " 2>/dev/null; then printf '%s\\n'" + lines + " > " + ShellCommands.quote(dir + "/job.sh")
        + " && { nohup setsid sh " + ShellCommands.quote(dir + "/job.sh") + " > " + ShellCommands.quote(dir + "/log")
        + " 2>&1 < /dev/null & } && echo started; else echo exists; fi";
    assertThat(hosts.run(SUMMIT, h.name(), List.of(HostCommand.of(oldStart))).ok()).isTrue();
    await().atMost(DEADLINE).until(() -> hosts.detachedStatus(SUMMIT, h.name(), job).state() == DetachedStatus.State.FAILED);
    DetachedStatus failed = hosts.detachedStatus(SUMMIT, h.name(), job);
    assertThat(failed.exitStatus()).isEqualTo(2);
    assertThat(failed.logTail()).contains("SAL_WORK_DIR is not set");

    // the orchestrator's script: one shell session, the environment is there for make
    String ok = "rebuild-session-" + System.nanoTime();
    hosts.startDetached(SUMMIT, h.name(), ok, h.rebuild().stream().map(HostCommand::of).toList());
    await().atMost(DEADLINE).until(() -> hosts.detachedStatus(SUMMIT, h.name(), ok).state() == DetachedStatus.State.SUCCEEDED);
  }

  @Test
  void aFailingDetachedStepFailsTheJob() {
    inject("m2-crio-vms01", "command-fails", Map.of("exit", "2"), 1);
    String job = "rebuild-" + System.nanoTime();
    hosts.startDetached(SUMMIT, "m2-crio-vms01", job, host("m2-crio-vms01").rebuild().stream().map(HostCommand::of).toList());
    await().atMost(DEADLINE).until(() -> hosts.detachedStatus(SUMMIT, "m2-crio-vms01", job).state() == DetachedStatus.State.FAILED);
    assertThat(hosts.detachedStatus(SUMMIT, "m2-crio-vms01", job).exitStatus()).isEqualTo(2);
  }

  @Test
  void runsOnEverySummitHostInParallelEachReportedOnItsOwn() {
    int poolSize = 4;
    inject("*", "slow", Map.of("millis", "300"), 0); // every command lasts long enough to overlap
    RemoteHosts pooled = client(twin.keyFile(), twin.knownHostsFile(), properties.withPoolSize(poolSize));
    Map<String, List<HostCommand>> each = new LinkedHashMap<>();
    sites.require(SUMMIT).hosts().forEach(h -> each.put(h.name(), List.of(HostCommand.of("hostname"))));
    assertThat(each).containsKey("azar02").hasSizeGreaterThan(20);
    long first = lastSeq();
    List<HostResult> results = pooled.runOnEach(SUMMIT, each);
    assertThat(results).extracting(HostResult::host).containsExactlyElementsOf(each.keySet());
    for (HostResult r : results) {
      assertThat(r.ok()).as(r.host() + ": " + r.error()).isTrue();
      assertThat(r.commands().get(0).stdout().strip()).isEqualTo(r.host() + ".cp.lsst.org");
    }
    // the twin's log of when each host ran its command: they overlapped, never more than the pool allows
    List<ActionLog.Action> runs = actions.actions(SUMMIT).stream().filter(a -> a.seq() > first && a.system().equals("ssh")
        && a.action().equals("exec") && "hostname".equals(a.params().get("command"))).toList();
    assertThat(runs).extracting(ActionLog.Action::target).hasSize(each.size())
        .containsExactlyInAnyOrderElementsOf(each.keySet().stream().map(h -> SUMMIT + "/" + h).toList());
    assertThat(runs).allMatch(a -> a.end() != null);
    assertThat(maxOverlap(runs)).isGreaterThan(1).isLessThanOrEqualTo(poolSize);
  }

  /** The most actions running at the same instant (one ending as another starts does not overlap). */
  private static int maxOverlap(List<ActionLog.Action> runs) {
    List<long[]> events = new ArrayList<>();
    for (ActionLog.Action a : runs) {
      events.add(new long[] {Duration.between(java.time.Instant.EPOCH, a.start()).toNanos(), 1});
      events.add(new long[] {Duration.between(java.time.Instant.EPOCH, a.end()).toNanos(), -1});
    }
    events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    int running = 0;
    int max = 0;
    for (long[] e : events) {
      running += (int) e[1];
      max = Math.max(max, running);
    }
    return max;
  }

  private long lastSeq() {
    return actions.actions(SUMMIT).stream().mapToLong(ActionLog.Action::seq).max().orElse(0);
  }

  @Test
  void rebootDropsTheConnectionAndTheHostComesBackWithANewBootId() {
    String before = hosts.bootId(SUMMIT, "azar02").orElseThrow();
    assertThat(before).isEqualTo(twin.bootId(SUMMIT, "azar02"));
    String request = "reboot-azar02-" + System.nanoTime();
    long rebootsBefore = rebootsOf("azar02");

    // sudo refuses: nothing rebooted, and the same request tried again reboots
    inject("azar02", "command-fails", Map.of("exit", "1", "message", "sudo: a password is required"), 1);
    RemoteHosts.Reboot refused = hosts.reboot(SUMMIT, "azar02", request);
    assertThat(refused.result().ok()).isFalse();
    assertThat(refused.result().error()).contains("summit/azar02").contains("exit status 1");
    assertThat(rebootsOf("azar02")).isEqualTo(rebootsBefore);

    inject("azar02", "slow", Map.of("millis", "3000"), 1); // stays down long enough to be seen down
    RemoteHosts.Reboot r = hosts.reboot(SUMMIT, "azar02", request);
    assertThat(r.result().ok()).as(r.result().error()).isTrue();
    assertThat(r.alreadyRebooted()).isFalse();
    assertThat(r.bootIdBefore()).isEqualTo(before);
    assertThat(r.result().commands()).extracting(HostResult.CommandResult::command).last().isEqualTo(RemoteHosts.REBOOT);
    // right after the reboot the host is down: no boot id, so not "back"
    assertThat(twin.isUp(SUMMIT, "azar02")).isFalse();
    assertThat(hosts.bootId(SUMMIT, "azar02")).isEmpty();
    await().atMost(DEADLINE).until(() -> hosts.bootId(SUMMIT, "azar02").isPresent());
    assertThat(hosts.bootId(SUMMIT, "azar02")).hasValueSatisfying(id -> assertThat(id).isNotEqualTo(before));
    assertThat(twin.isUp(SUMMIT, "azar02")).isTrue();
    assertThat(rebootsOf("azar02")).isEqualTo(rebootsBefore + 1);

    // a retried step: the host has booted since the request was first made, so it is not rebooted again
    RemoteHosts.Reboot again = hosts.reboot(SUMMIT, "azar02", request);
    assertThat(again.result().ok()).isTrue();
    assertThat(again.alreadyRebooted()).isTrue();
    assertThat(again.bootIdBefore()).isEqualTo(before);
    assertThat(again.result().commands()).extracting(HostResult.CommandResult::command).doesNotContain(RemoteHosts.REBOOT);
    assertThat(rebootsOf("azar02")).isEqualTo(rebootsBefore + 1);
    assertThat(twin.isUp(SUMMIT, "azar02")).isTrue();
  }

  private long rebootsOf(String host) {
    return actions.actions(SUMMIT).stream().filter(a -> a.target().equals(SUMMIT + "/" + host)
        && a.action().equals("reboot")).count();
  }

  @Test
  void aHostThatSendsNoSshBannerFailsWithinTheConnectTimeout() throws Exception {
    Duration connectTimeout = Duration.ofSeconds(1);
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // and never write a byte
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      }, "silent-ssh-port");
      acceptor.setDaemon(true);
      acceptor.start();
      // a site of our own whose tel-hw1 is the silent port (the shared twin stays as it is)
      Sites own = new Sites(new SiteProperties(null)).with(SUMMIT, s -> s.withHosts(s.hosts().stream()
          .map(h -> h.name().equals("tel-hw1") ? h.withAddress("127.0.0.1", silent.getLocalPort()) : h).toList()));
      SshRemoteHosts c = new SshRemoteHosts(own, properties.withConnectTimeout(connectTimeout), twin);
      clients.add(c);

      long t0 = System.nanoTime();
      HostResult r = c.run(SUMMIT, "tel-hw1", List.of(HostCommand.of("hostname")));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(r.ok()).isFalse();
      assertThat(r.commands()).isEmpty();
      assertThat(r.error()).contains("summit/tel-hw1 (127.0.0.1:" + silent.getLocalPort() + ")")
          .contains("connect timeout of PT1S").contains("sent no SSH banner");
      assertThat(took).isGreaterThanOrEqualTo(connectTimeout.minusMillis(100)).isLessThan(connectTimeout.plusSeconds(2));
      assertThat(accepted).isNotEmpty();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  private RemoteHosts client(Path key, Path knownHosts, Duration commandTimeout) {
    return client(key, knownHosts, properties.withCommandTimeout(commandTimeout));
  }

  private RemoteHosts client(Path key, Path knownHosts, SshProperties props) {
    SshIdentity identity = new SshIdentity() {
      @Override
      public Path keyFile() {
        return key;
      }

      @Override
      public Path knownHostsFile() {
        return knownHosts;
      }
    };
    SshRemoteHosts c = new SshRemoteHosts(sites, props, identity);
    clients.add(c);
    return c;
  }
}
