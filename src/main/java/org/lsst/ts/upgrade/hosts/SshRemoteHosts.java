package org.lsst.ts.upgrade.hosts;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@link RemoteHosts} over SSH with Apache MINA SSHD: public-key authentication, strict host-key
 * checking against a known_hosts file, bounded output, timeouts. Host addresses are read from the
 * site at call time. Every command is rendered (validated and quoted) before any connection.
 */
@Component
class SshRemoteHosts implements RemoteHosts {
  private static final Logger log = LoggerFactory.getLogger(SshRemoteHosts.class);
  private static final int STATUS_TAIL_BYTES = 4000;
  /**
   * The short commands (a detached job's start and status, the boot id record, the reboot request,
   * the boot id, the preflight's no-op): a few file operations on the host. With the connect timeout
   * (connection, then authentication) one host's call stays well inside a job's 2-minute lock, and
   * the hosts of a step are worked on at once.
   */
  static final Duration DETACHED_COMMAND_TIMEOUT = Duration.ofSeconds(15);
  private static final Pattern BOOT_ID_FORMAT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Sites sites;
  private final SshProperties properties;
  private final SshIdentity identity;
  private final SshClient client;
  private final StrictHostKeyVerifier hostKeys;
  private final ExecutorService pool;

  @Autowired
  SshRemoteHosts(Sites sites, SshProperties properties, SshIdentity identity) {
    this.sites = sites;
    this.properties = properties;
    this.identity = identity;
    this.client = SshClient.setUpDefaultClient();
    this.hostKeys = new StrictHostKeyVerifier(identity.knownHostsFile());
    client.setServerKeyVerifier(hostKeys);
    client.setKeyIdentityProvider(new FileKeyPairProvider(identity.keyFile()));
    // no password or keyboard-interactive prompts: keys only
    client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    client.setHostConfigEntryResolver(org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY);
    // the handshake is a dozen small messages each way: without it Nagle's algorithm holds each one
    // until the peer's delayed ACK (~40 ms), half a second per connection
    org.apache.sshd.core.CoreModuleProperties.TCP_NODELAY.set(client, true);
    client.setKeyExchangeFactories(mlKemFirst(client.getKeyExchangeFactories()));
    client.start();
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(properties.poolSize(), r -> {
      Thread t = new Thread(r, "ssh-hosts-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public HostResult run(String site, String host, List<HostCommand> commands) {
    Site.Host h = requireHost(site, host);
    List<String> lines = ShellCommands.renderAll(commands);
    return runRendered(site, h, lines);
  }

  @Override
  public List<HostResult> runOnEach(String site, Map<String, List<HostCommand>> commandsByHost) {
    // everything is validated before the first connection, so a bad parameter starts nothing
    Map<Site.Host, List<String>> rendered = new LinkedHashMap<>();
    for (Map.Entry<String, List<HostCommand>> e : commandsByHost.entrySet()) {
      Site.Host h = requireHost(site, e.getKey());
      try {
        rendered.put(h, ShellCommands.renderAll(e.getValue()));
      } catch (HostCommandRejectedException ex) {
        throw new HostCommandRejectedException(site + "/" + e.getKey() + ": " + ex.getMessage());
      }
    }
    List<Future<HostResult>> futures = new ArrayList<>();
    rendered.forEach((h, lines) -> futures.add(pool.submit(() -> runRendered(site, h, lines))));
    List<HostResult> results = new ArrayList<>();
    int i = 0;
    for (Site.Host h : rendered.keySet()) {
      try {
        results.add(futures.get(i++).get());
      } catch (ExecutionException e) {
        results.add(new HostResult(h.name(), false, List.of(), "failed: " + e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(f -> f.cancel(true));
        throw new IllegalStateException("interrupted while running commands on " + site + " hosts", e);
      }
    }
    return results;
  }

  @Override
  public DetachedStatus startDetached(String site, String host, String jobId, List<HostCommand> commands) {
    Site.Host h = requireHost(site, host);
    ShellCommands.validateJobId(jobId);
    List<String> lines = ShellCommands.renderAll(commands);
    String start = ShellCommands.detachedStart(properties.jobDir(), jobId, lines);
    try (ClientSession session = connect(site, h)) {
      HostResult.CommandResult r = exec(session, start, DETACHED_COMMAND_TIMEOUT);
      String out = r.stdout().strip();
      if (!r.ok() || !(out.equals("started") || out.equals("exists"))) {
        throw new RemoteHostException(where(site, h) + ": could not start detached job " + jobId + " (exit "
            + r.exitStatus() + "): " + r.stderr().strip(), null);
      }
      log.info("{}: detached job {} {}", where(site, h), jobId, out.equals("started") ? "started" : "already existed");
      return status(session, site, h, jobId);
    } catch (IOException e) {
      throw unreachable(site, h, e);
    }
  }

  @Override
  public Map<String, DetachedStatus> startDetachedOnEach(String site, Map<String, String> jobIds,
      Map<String, List<HostCommand>> commandsByHost) {
    // everything is validated before the first connection, so a bad parameter starts nothing
    jobIds.forEach((host, job) -> {
      requireHost(site, host);
      ShellCommands.validateJobId(job);
      ShellCommands.renderAll(commandsByHost.get(host));
    });
    return onPool(site, jobIds, (host, job) -> startDetached(site, host, job, commandsByHost.get(host)));
  }

  @Override
  public Map<String, DetachedStatus> detachedStatuses(String site, Map<String, String> jobIds) {
    return onPool(site, jobIds, (host, job) -> detachedStatus(site, host, job));
  }

  /** Each host on the pool; every host is tried, then the failures (if any) are thrown together. */
  private Map<String, DetachedStatus> onPool(String site, Map<String, String> jobIds,
      java.util.function.BiFunction<String, String, DetachedStatus> call) {
    Map<String, Future<DetachedStatus>> futures = new LinkedHashMap<>();
    jobIds.forEach((host, job) -> futures.put(host, pool.submit(() -> call.apply(host, job))));
    Map<String, DetachedStatus> out = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Future<DetachedStatus>> e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        failures.add(String.valueOf(ex.getCause().getMessage()));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        futures.values().forEach(f -> f.cancel(true));
        throw new IllegalStateException("interrupted while working on " + site + " hosts", ex);
      }
    }
    if (!failures.isEmpty()) {
      throw new RemoteHostException(String.join(" | ", failures), null);
    }
    return out;
  }

  @Override
  public DetachedStatus detachedStatus(String site, String host, String jobId) {
    Site.Host h = requireHost(site, host);
    ShellCommands.validateJobId(jobId);
    try (ClientSession session = connect(site, h)) {
      return status(session, site, h, jobId);
    } catch (IOException e) {
      throw unreachable(site, h, e);
    }
  }

  @Override
  public Reboot reboot(String site, String host, String requestId) {
    Site.Host h = requireHost(site, host);
    ShellCommands.validateJobId(requestId);
    String record = ShellCommands.bootRecord(properties.jobDir(), requestId);
    List<HostResult.CommandResult> results = new ArrayList<>();
    ClientSession connected;
    try {
      connected = connect(site, h);
    } catch (IOException | RemoteHostException e) {
      String msg = e instanceof RemoteHostException ? e.getMessage() : unreachable(site, h, e).getMessage();
      return new Reboot(new HostResult(h.name(), false, results, msg), null, false);
    }
    // one session for the record and the reboot: two short commands, well inside a job's lock
    try (ClientSession session = connected) {
      HostResult.CommandResult r = exec(session, record, DETACHED_COMMAND_TIMEOUT);
      results.add(r);
      if (!r.ok()) {
        return new Reboot(new HostResult(h.name(), false, results, failure(site, h, record, r, DETACHED_COMMAND_TIMEOUT)),
            null, false);
      }
      String[] ids = r.stdout().strip().split("\\s+");
      if (ids.length != 2 || !BOOT_ID_FORMAT.matcher(ids[0]).matches() || !BOOT_ID_FORMAT.matcher(ids[1]).matches()) {
        throw new RemoteHostException(where(site, h) + ": unexpected answer to the boot id record: '"
            + ShellCommands.printable(r.stdout().strip()) + "'", null);
      }
      if (!ids[0].equals(ids[1])) {
        log.info("{}: already rebooted for {} (boot id {} -> {}): not rebooting again", where(site, h), requestId, ids[0], ids[1]);
        return new Reboot(new HostResult(h.name(), true, results, null), ids[0], true);
      }
      HostResult.CommandResult reboot = exec(session, REBOOT, DETACHED_COMMAND_TIMEOUT);
      results.add(reboot);
      // the host going down takes our connection with it: that is the expected outcome
      boolean ok = reboot.ok() || reboot.exitStatus() == CONNECTION_LOST;
      return new Reboot(new HostResult(h.name(), ok, results, ok ? null : failure(site, h, REBOOT, reboot,
          DETACHED_COMMAND_TIMEOUT)), ids[0], false);
    } catch (IOException e) {
      return new Reboot(new HostResult(h.name(), false, results, unreachable(site, h, e).getMessage()), null, false);
    }
  }

  @Override
  public Optional<String> bootId(String site, String host) {
    Site.Host h = requireHost(site, host);
    HostResult r = runRendered(site, h, List.of(BOOT_ID), DETACHED_COMMAND_TIMEOUT);
    if (r.commands().isEmpty()) {
      log.debug("{}: no boot id: {}", where(site, h), r.error());
      return Optional.empty(); // not reachable (down, rebooting)
    }
    HostResult.CommandResult c = r.commands().get(0);
    if (c.exitStatus() == CONNECTION_LOST) {
      return Optional.empty();
    }
    String id = c.stdout().strip();
    if (!c.ok() || !BOOT_ID_FORMAT.matcher(id).matches()) {
      throw new RemoteHostException(where(site, h) + ": '" + BOOT_ID + "' did not print a boot id (exit "
          + c.exitStatus() + "): " + ShellCommands.printable((id + " " + c.stderr()).strip()), null);
    }
    return Optional.of(id);
  }

  @Override
  public boolean reachable(String site, String host) {
    Site.Host h = requireHost(site, host);
    try (ClientSession ignored = connect(site, h)) {
      return true;
    } catch (IOException | RemoteHostException e) {
      log.debug("{} not reachable: {}", where(site, h), e.getMessage());
      return false;
    }
  }

  @Override
  public Optional<String> accessProblem(String site, String host) {
    Site.Host h = requireHost(site, host);
    HostResult r = runRendered(site, h, List.of(NO_OP), DETACHED_COMMAND_TIMEOUT);
    if (r.ok()) {
      return Optional.empty();
    }
    return Optional.of(r.error() != null ? r.error() : "'" + NO_OP + "' failed on " + where(site, h));
  }

  /**
   * The key exchanges offered, ML-KEM hybrid first (as OpenSSH 9.9 offers them), the rest in MINA's
   * order: MINA offers sntrup761x25519 first, which BouncyCastle computes in pure Java at ~0.4 s of
   * CPU per connection (seconds in a JVM not yet warm, for the preflight's twenty hosts at once);
   * mlkem768x25519 is as post-quantum and takes about a millisecond. A host without it (OpenSSH
   * before 9.9) agrees on the next one, as before.
   */
  static List<org.apache.sshd.common.kex.KeyExchangeFactory> mlKemFirst(
      List<org.apache.sshd.common.kex.KeyExchangeFactory> offered) {
    List<org.apache.sshd.common.kex.KeyExchangeFactory> kex = new ArrayList<>(offered);
    kex.sort(java.util.Comparator.comparingInt(k -> k.getName().startsWith("mlkem768x25519") ? 0 : 1));
    return kex;
  }

  /** Most characters of a failed command's error output an incident or a task shows. */
  static final int ERROR_OUTPUT_CHARS = 500;

  /** ": " and the end of the command's error output (where the reason usually is), or nothing. */
  static String errorOutput(String stderr) {
    if (stderr == null || stderr.isBlank()) {
      return "";
    }
    String s = stderr.strip();
    return ": " + (s.length() <= ERROR_OUTPUT_CHARS ? s : "…" + s.substring(s.length() - ERROR_OUTPUT_CHARS));
  }

  /** Exit status reported when the connection dropped before the command finished. */
  static final int CONNECTION_LOST = -2;
  /** Exit status reported when the command did not finish within the command timeout. */
  static final int TIMED_OUT = -1;

  private HostResult runRendered(String site, Site.Host h, List<String> lines) {
    return runRendered(site, h, lines, properties.commandTimeout());
  }

  /** Why a command failed, for a result's error: timed out, connection lost, or its exit status and error output. */
  private static String failure(String site, Site.Host h, String line, HostResult.CommandResult r, Duration timeout) {
    String why = switch (r.exitStatus()) {
      case TIMED_OUT -> "timed out after " + timeout;
      case CONNECTION_LOST -> "the host closed the connection before the command finished";
      default -> "exit status " + r.exitStatus() + errorOutput(r.stderr());
    };
    return "'" + line + "' failed on " + where(site, h) + ": " + why;
  }

  private HostResult runRendered(String site, Site.Host h, List<String> lines, Duration timeout) {
    List<HostResult.CommandResult> results = new ArrayList<>();
    try (ClientSession session = connect(site, h)) {
      for (String line : lines) {
        HostResult.CommandResult r = exec(session, line, timeout);
        results.add(r);
        if (!r.ok()) {
          return new HostResult(h.name(), false, results, failure(site, h, line, r, timeout));
        }
      }
      return new HostResult(h.name(), true, results, null);
    } catch (IOException | RemoteHostException e) {
      String msg = e instanceof RemoteHostException ? e.getMessage() : unreachable(site, h, e).getMessage();
      return new HostResult(h.name(), false, results, msg);
    }
  }

  private ClientSession connect(String site, Site.Host h) throws IOException {
    if (!Files.isReadable(identity.keyFile())) {
      throw new RemoteHostException("SSH key file " + identity.keyFile() + " (upgrade.ssh.key-file) cannot be read", null);
    }
    String user = h.user() != null ? h.user() : properties.defaultUser();
    Duration timeout = properties.connectTimeout();
    ConnectFuture cf = client.connect(user, h.hostname(), h.port());
    ClientSession session;
    try {
      session = cf.verify(timeout).getClientSession();
    } catch (IOException e) {
      if (closedBeforeHandshake(e)) {
        throw new RemoteHostException(where(site, h) + " closed the connection before the SSH handshake (down, "
            + "rebooting or refusing connections): " + e.getMessage(), e);
      }
      throw new RemoteHostException(where(site, h) + " cannot be reached: " + e.getMessage(), e);
    }
    AuthFuture auth = session.auth();
    try {
      auth.verify(timeout);
      return session;
    } catch (IOException e) {
      boolean timedOut = !auth.isDone(); // closing the session below completes it
      String refusal = hostKeys.refusal(session);
      session.close(true);
      if (refusal != null) {
        throw new RemoteHostException(where(site, h) + ": " + refusal, e);
      }
      if (timedOut) {
        throw new RemoteHostException(where(site, h) + ": no SSH handshake within the connect timeout of " + timeout
            + " (upgrade.ssh.connect-timeout): " + (session.getServerVersion() == null
                ? "the host accepted the connection but sent no SSH banner" : "key exchange or authentication did not finish"), e);
      }
      String msg = String.valueOf(e.getMessage());
      if (session.getServerVersion() == null) {
        throw new RemoteHostException(where(site, h) + " closed the connection before the SSH handshake (down, "
            + "rebooting or refusing connections): " + msg, e);
      }
      if (msg.contains("No more authentication methods")) {
        throw new RemoteHostException(where(site, h) + ": public-key authentication as '" + user
            + "' was refused with the key " + identity.keyFile() + " (is its public key in the host's authorized_keys?)", e);
      }
      throw new RemoteHostException(where(site, h) + ": connection failed during key exchange or authentication as '"
          + user + "': " + msg, e);
    }
  }

  private HostResult.CommandResult exec(ClientSession session, String line, Duration timeout) throws IOException {
    long t0 = System.nanoTime();
    BoundedOutput out = new BoundedOutput(properties.outputLimit());
    BoundedOutput err = new BoundedOutput(properties.outputLimit());
    try (ChannelExec channel = session.createExecChannel(line)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(properties.connectTimeout());
      Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      Integer status = channel.getExitStatus();
      int exit;
      if (!events.contains(ClientChannelEvent.CLOSED) && status == null) {
        channel.close(true);
        exit = TIMED_OUT;
      } else {
        exit = status != null ? status : CONNECTION_LOST;
      }
      return new HostResult.CommandResult(line, exit, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - t0));
    } catch (IOException e) {
      if (!session.isOpen()) {
        return new HostResult.CommandResult(line, CONNECTION_LOST, out.text(), err.text() + e.getMessage(),
            Duration.ofNanos(System.nanoTime() - t0));
      }
      throw e;
    }
  }

  private DetachedStatus status(ClientSession session, String site, Site.Host h, String jobId) throws IOException {
    HostResult.CommandResult r = exec(session, ShellCommands.detachedStatus(properties.jobDir(), jobId, STATUS_TAIL_BYTES),
        DETACHED_COMMAND_TIMEOUT);
    if (!r.ok()) {
      throw new RemoteHostException(where(site, h) + ": could not read the status of job " + jobId + " (exit "
          + r.exitStatus() + "): " + r.stderr().strip(), null);
    }
    String out = r.stdout();
    int nl = out.indexOf('\n');
    String first = (nl < 0 ? out : out.substring(0, nl)).strip();
    String tail = nl < 0 ? "" : out.substring(nl + 1);
    if (first.equals("NOT_STARTED")) {
      return new DetachedStatus(h.name(), jobId, DetachedStatus.State.NOT_STARTED, null, tail);
    }
    if (first.equals("RUNNING")) {
      return new DetachedStatus(h.name(), jobId, DetachedStatus.State.RUNNING, null, tail);
    }
    if (first.equals("LOST")) {
      return new DetachedStatus(h.name(), jobId, DetachedStatus.State.FAILED, null,
          tail + "\n[job " + jobId + " is no longer running and left no exit status: killed, or the host rebooted]");
    }
    if (first.startsWith("EXIT ")) {
      try {
        int code = Integer.parseInt(first.substring(5).strip());
        return new DetachedStatus(h.name(), jobId, code == 0 ? DetachedStatus.State.SUCCEEDED : DetachedStatus.State.FAILED,
            code, tail);
      } catch (NumberFormatException e) {
        // fall through: a corrupt exit file
      }
    }
    throw new RemoteHostException(where(site, h) + ": unexpected status of job " + jobId + ": '" + first + "'", null);
  }

  private Site.Host requireHost(String site, String host) {
    Site s = sites.require(site);
    return s.host(host).orElseThrow(() -> new HostCommandRejectedException("site '" + site + "' has no host '"
        + ShellCommands.printable(String.valueOf(host)) + "'; known: " + s.hosts().stream().map(Site.Host::name).toList()));
  }

  /**
   * Whether the connect failed because the host accepted the TCP connection and closed it at once: MINA reports
   * that as a session that was never attached when the close wins the race with the connect future.
   */
  private static boolean closedBeforeHandshake(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MissingAttachedSessionException) {
        return true;
      }
    }
    return false;
  }

  private RemoteHostException unreachable(String site, Site.Host h, Exception e) {
    if (e instanceof RemoteHostException r) {
      return r;
    }
    return new RemoteHostException(where(site, h) + ": " + e.getMessage(), e);
  }

  private static String where(String site, Site.Host h) {
    return site + "/" + h.name() + " (" + h.hostname() + ":" + h.port() + ")";
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
    try {
      client.stop();
    } catch (RuntimeException e) {
      log.debug("stopping the SSH client: {}", e.toString());
    }
  }
}
