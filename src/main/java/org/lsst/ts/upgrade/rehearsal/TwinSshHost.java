package org.lsst.ts.upgrade.rehearsal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry.Fault;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated host: an SSH server with its own host key that runs the site file's known
 * commands for this host against the twin (CSC processes, repositories, detached jobs, reboots).
 */
final class TwinSshHost {
  private static final Logger log = LoggerFactory.getLogger(TwinSshHost.class);
  static final String SYSTEM = "ssh";
  private static final AttributeKey<Boolean> CHANGED_KEY = new AttributeKey<>();
  /** The connection's handshake (key exchange, authentication): the host's time too, until authenticated. */
  private static final AttributeKey<ActionLog.Running> HANDSHAKE = new AttributeKey<>();

  /** What a known command does. */
  enum Kind { STOP, START, UPDATE, REBUILD, REBOOT, HOSTNAME, BOOT_ID, TRUE }

  record Outcome(int exit, String out, String err) {}

  /** A detached job's state, kept "on the host" so a client restart loses nothing. */
  private static final java.util.regex.Pattern MAKE = java.util.regex.Pattern.compile("(^|[;&|]\\s*|\\s)make(\\s|$)");
  private static final java.util.regex.Pattern SOURCES_SAL_ENV = java.util.regex.Pattern.compile(
      "(^|[;&|]\\s*)(\\.|source)\\s+\\S*(kafka|setupKafka)\\.env");

  static final class Job {
    final String dir;
    final List<String> commands;
    final long boot;
    final StringBuffer log = new StringBuffer();
    volatile Integer exit;
    /** The script runs its commands in one shell: what one sources stays for the next. */
    final boolean oneShell;
    /** The SAL/Kafka environment (kafka.env, setupKafka.env) was sourced in the script's shell. */
    volatile boolean envSourced;

    Job(String dir, List<String> commands, long boot) {
      this(dir, commands, boot, true);
    }

    Job(String dir, List<String> commands, long boot, boolean oneShell) {
      this.dir = dir;
      this.commands = commands;
      this.boot = boot;
      this.oneShell = oneShell;
    }
  }

  private final String site;
  private final Site.Host host;
  private final KeyPair hostKey;
  private final KeyPair changedKey;
  private final PublicKey clientKey;
  private final TwinCscs cscs;
  private final ActionLog actions;
  private final LatencyModel latency;
  private final FaultRegistry faults;
  private final Executor executor;
  private final Map<String, Kind> known = new ConcurrentHashMap<>();
  private final Pattern update;
  private final Map<String, String> branches = new ConcurrentHashMap<>();
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final AtomicLong boot = new AtomicLong();
  /** The kernel's random boot id, drawn again at every (simulated) boot. */
  private volatile String bootId = UUID.randomUUID().toString();
  /** Files written on the host's disk (boot-id records); unlike processes, they survive a reboot. */
  private final Map<String, String> files = new ConcurrentHashMap<>();
  private volatile Instant downUntil = Instant.MIN;
  private final SshServer server;

  TwinSshHost(String site, Site.Host host, PublicKey clientKey, TwinCscs cscs, ActionLog actions,
      LatencyModel latency, FaultRegistry faults, Executor executor, ScheduledExecutorService timer) throws Exception {
    this.site = site;
    this.host = host;
    this.clientKey = clientKey;
    this.cscs = cscs;
    this.actions = actions;
    this.latency = latency;
    this.faults = faults;
    this.executor = executor;
    this.hostKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    this.changedKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    host.shutdown().forEach(c -> known.put(c, Kind.STOP));
    host.startup().forEach(c -> known.put(c, Kind.START));
    host.rebuild().forEach(c -> known.put(c, Kind.REBUILD));
    known.put("sudo reboot", Kind.REBOOT);
    known.put("hostname", Kind.HOSTNAME);
    known.put(org.lsst.ts.upgrade.hosts.RemoteHosts.BOOT_ID, Kind.BOOT_ID);
    known.put("true", Kind.TRUE);
    this.update = host.update() == null ? null : Pattern.compile(Pattern.quote(host.update())
        .replace("{repo}", "\\E(?<repo>'[^']*'|[A-Za-z0-9._/-]+)\\Q")
        .replace("{branch}", "\\E(?<branch>'[^']*'|[A-Za-z0-9._/-]+)\\Q"));

    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    // one I/O thread per simulated host is plenty; the twin runs dozens of them
    CoreModuleProperties.NIO_WORKERS.set(server, 1);
    // small handshake messages go out at once, as OpenSSH's do (no Nagle delay against delayed ACKs)
    CoreModuleProperties.TCP_NODELAY.set(server, true);
    server.setScheduledExecutorService(timer, false);
    server.setKeyPairProvider(new KeyPairProvider() {
      @Override
      public Iterable<KeyPair> loadKeys(SessionContext session) {
        boolean changed = session != null && Boolean.TRUE.equals(session.getAttribute(CHANGED_KEY));
        return List.of(changed ? changedKey : hostKey);
      }
    });
    server.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator((user, key, session) -> {
      boolean ok = KeyUtils.compareKeys(key, clientKey) && (host.user() == null || host.user().equals(user));
      if (!ok) {
        actions.record(site, SYSTEM, target(), "auth-refused", Map.of("user", user,
            "key", KeyUtils.getFingerPrint(key)));
      }
      return ok;
    });
    server.addSessionListener(new SessionListener() {
      @Override
      public void sessionCreated(Session session) {
        // a host that is down or rebooting drops the connection before the SSH handshake
        String refusal = !up() ? "rebooting"
            : faults.consult(site, SYSTEM, host.name(), "down").isPresent() ? "host down (injected)" : null;
        if (refusal != null) {
          actions.record(site, SYSTEM, target(), "connection-refused", Map.of("reason", refusal));
          session.close(true);
          return;
        }
        session.setAttribute(HANDSHAKE, actions.begin(site, SYSTEM, target(), "connect", Map.of()));
        if (faults.consult(site, SYSTEM, host.name(), "changed-host-key").isPresent()) {
          session.setAttribute(CHANGED_KEY, true);
          actions.record(site, SYSTEM, target(), "changed-host-key", Map.of("fingerprint",
              KeyUtils.getFingerPrint(changedKey.getPublic())));
        }
      }

      @Override
      public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated) {
          endHandshake(session);
        }
      }

      @Override
      public void sessionClosed(Session session) {
        endHandshake(session);
      }

      private void endHandshake(Session session) {
        ActionLog.Running handshake = session.removeAttribute(HANDSHAKE);
        if (handshake != null) {
          handshake.end();
        }
      }
    });
    server.setCommandFactory((channel, command) -> new TwinCommand(command));
    server.start();
  }

  int port() {
    return server.getPort();
  }

  Site.Host host() {
    return host;
  }

  PublicKey hostKey() {
    return hostKey.getPublic();
  }

  String bootId() {
    return bootId;
  }

  String branch(String repo) {
    return branches.get(repo);
  }

  /** Up again at once (a reboot in progress is over). */
  void reset() {
    downUntil = Instant.MIN;
  }

  boolean up() {
    return !Instant.now().isBefore(downUntil);
  }

  private String target() {
    return site + "/" + host.name();
  }

  void stop() {
    try {
      server.stop(true);
    } catch (IOException e) {
      log.debug("stopping the twin SSH server of {}: {}", target(), e.toString());
    }
  }

  /** Runs one command line; the future completes when the command would have finished. */
  CompletableFuture<Outcome> execute(String line, String user) {
    TwinSshShell.DetachedStart start = TwinSshShell.detachedStart(line);
    if (start != null) {
      return CompletableFuture.completedFuture(startJob(start));
    }
    String bootRecord = TwinSshShell.bootRecord(line);
    if (bootRecord != null) {
      String recorded = files.computeIfAbsent(bootRecord, f -> bootId);
      String current = bootId;
      actions.record(site, SYSTEM, target(), "boot-id-record", Map.of("file", bootRecord, "recorded", recorded,
          "current", current));
      return CompletableFuture.completedFuture(new Outcome(0, recorded + "\n" + current + "\n", ""));
    }
    TwinSshShell.DetachedStatus status = TwinSshShell.detachedStatus(line);
    if (status != null) {
      return CompletableFuture.completedFuture(jobStatus(status));
    }
    ActionLog.Running running = actions.begin(site, SYSTEM, target(), "exec", Map.of("command", line, "user", user));
    // the end is logged before the client gets the exit status (the action log's times are exact)
    return run(line).whenComplete((o, e) -> running.end());
  }

  private CompletableFuture<Outcome> run(String line) {
    if (faults.consult(site, SYSTEM, host.name(), "hang").isPresent()) {
      return new CompletableFuture<>(); // never finishes: the client's command timeout must fire
    }
    Kind kind = known.get(line);
    Matcher m = update == null ? null : update.matcher(line);
    if (kind == null && m != null && m.matches()) {
      kind = Kind.UPDATE;
    }
    if (kind == null) {
      String word = line.strip().split("\\s+", 2)[0];
      actions.record(site, SYSTEM, target(), "unknown-command", Map.of("command", line));
      return CompletableFuture.completedFuture(new Outcome(127, "", "sh: 1: " + word + ": not found\n"));
    }
    Duration d = switch (kind) {
      case STOP, START -> latency.of(line.contains("systemctl") || line.contains("/etc/init.d/") ? "ssh.service" : "ssh.command");
      case UPDATE -> latency.of("ssh.update-repo");
      case REBUILD -> latency.of("crio.rebuild").dividedBy(Math.max(1, host.rebuild().size()));
      case REBOOT, HOSTNAME, BOOT_ID, TRUE -> Duration.ZERO;
    };
    d = d.plus(slowness());
    Kind k = kind;
    String repo = k == Kind.UPDATE ? unquote(m.group("repo")) : null;
    String branch = k == Kind.UPDATE ? unquote(m.group("branch")) : null;
    return CompletableFuture.supplyAsync(() -> {
      var fail = faults.consult(site, SYSTEM, host.name(), "command-fails", f -> failsOn(f, line));
      if (fail.isPresent()) {
        return injectedFailure(fail.get(), line);
      }
      return effect(k, line, repo, branch);
    }, CompletableFuture.delayedExecutor(d.toNanos(), TimeUnit.NANOSECONDS, executor));
  }

  /** Extra time from a {@code slow} fault (param {@code millis}): commands take longer, a reboot stays down longer. */
  private Duration slowness() {
    return faults.consult(site, SYSTEM, host.name(), "slow")
        .map(f -> Duration.ofMillis(Long.parseLong(f.params().getOrDefault("millis", "1000")))).orElse(Duration.ZERO);
  }

  /** A {@code command-fails} fault with a {@code command} param fails only the commands containing it (others leave it unused). */
  private static boolean failsOn(Fault f, String line) {
    String only = f.params().get("command");
    return only == null || line.contains(only);
  }

  private Outcome injectedFailure(Fault f, String line) {
    int exit = Integer.parseInt(f.params().getOrDefault("exit", "1"));
    actions.record(site, SYSTEM, target(), "command-failed", Map.of("command", line, "exit", exit));
    return new Outcome(exit, "", f.params().getOrDefault("message", "injected failure of '" + line + "'") + "\n");
  }

  private Outcome effect(Kind kind, String line, String repo, String branch) {
    switch (kind) {
      case STOP -> {
        for (CscId id : host.cscs()) {
          cscs.kill(site, id);
        }
        return new Outcome(0, "", "");
      }
      case START -> {
        for (CscId id : host.cscs()) {
          if (host.role() == Site.HostRole.CRIO) {
            // a cRIO's service start (re)starts its CSC process: it comes up in STANDBY, whatever
            // state it was in (after an OS/Kubernetes upgrade the held MTM1M3/MTM1M3TS too)
            cscs.kill(site, id);
          }
          cscs.launch(site, id);
        }
        return new Outcome(0, "", "");
      }
      case UPDATE -> {
        String previous = branches.put(repo, branch);
        actions.record(site, SYSTEM, target(), "update-repo", Map.of("repo", repo, "branch", branch));
        return new Outcome(0, "Updating " + repo + " from " + (previous == null ? "(unknown)" : previous) + " to "
            + branch + "\nHEAD is now at " + Integer.toHexString((repo + branch).hashCode()) + "\n", "");
      }
      case REBUILD -> {
        actions.record(site, SYSTEM, target(), "rebuild-step", Map.of("command", line));
        return new Outcome(0, "done: " + line + "\n", "");
      }
      case HOSTNAME -> {
        return new Outcome(0, host.hostname() + "\n", "");
      }
      case BOOT_ID -> {
        return new Outcome(0, bootId + "\n", "");
      }
      default -> {
        return new Outcome(0, "", "");
      }
    }
  }

  /** The host goes down now and comes back after the latency model's reboot time. */
  void reboot() {
    Duration d = latency.of("host.reboot").plus(slowness());
    downUntil = Instant.now().plus(d);
    boot.incrementAndGet();
    bootId = UUID.randomUUID().toString();
    ActionLog.Running r = actions.begin(site, SYSTEM, target(), "reboot", Map.of());
    for (CscId id : host.cscs()) {
      cscs.kill(site, id);
    }
    CompletableFuture.delayedExecutor(d.toNanos(), TimeUnit.NANOSECONDS, executor).execute(r::end);
  }

  private Outcome startJob(TwinSshShell.DetachedStart start) {
    Job job = new Job(start.dir(), start.commands(), boot.get(), start.oneShell());
    Job existing = jobs.putIfAbsent(start.dir(), job);
    if (existing != null) {
      actions.record(site, SYSTEM, target(), "detached-exists", Map.of("dir", start.dir()));
      return new Outcome(0, "exists\n", "");
    }
    actions.record(site, SYSTEM, target(), "detached-start", Map.of("dir", start.dir(), "commands", start.commands()));
    ActionLog.Running running = actions.begin(site, SYSTEM, target(), "detached-job", Map.of("dir", start.dir()));
    runStep(job, 0, running);
    return new Outcome(0, "started\n", "");
  }

  private void runStep(Job job, int i, ActionLog.Running running) {
    if (job.boot != boot.get()) {
      running.end(); // the host rebooted: the job is gone without an exit status
      return;
    }
    if (i >= job.commands.size()) {
      job.exit = 0;
      running.end();
      return;
    }
    String command = job.commands.get(i);
    boolean sources = SOURCES_SAL_ENV.matcher(command).find();
    if (host.role() == Site.HostRole.CRIO && MAKE.matcher(command).find() && !sources && !job.envSourced) {
      // ts_vms/Makefile.inc and the others need SAL_WORK_DIR and LSST_SAL_PREFIX from kafka.env
      actions.record(site, SYSTEM, target(), "build-failed", Map.of("command", command,
          "why", "environment not sourced in this shell"));
      job.log.append("Makefile.inc:3: *** SAL_WORK_DIR is not set (source ~/kafka.env in this shell first).  Stop.\n");
      job.exit = 2;
      running.end();
      return;
    }
    execute(command, host.user() == null ? "dco" : host.user()).whenComplete((o, e) -> {
      if (e == null && o.exit() == 0 && sources && job.oneShell) {
        job.envSourced = true;
      }
      if (job.boot != boot.get()) {
        running.end();
        return;
      }
      if (e != null) {
        job.log.append(e).append('\n');
        job.exit = 1;
        running.end();
        return;
      }
      job.log.append(o.out()).append(o.err());
      if (o.exit() != 0) {
        job.exit = o.exit();
        running.end();
      } else {
        runStep(job, i + 1, running);
      }
    });
  }

  private Outcome jobStatus(TwinSshShell.DetachedStatus status) {
    Job job = jobs.get(status.dir());
    String state;
    if (job == null) {
      state = "NOT_STARTED";
    } else if (job.exit != null) {
      state = "EXIT " + job.exit;
    } else if (job.boot != boot.get()) {
      state = "LOST";
    } else {
      state = "RUNNING";
    }
    String logText = job == null ? "" : job.log.toString();
    if (logText.length() > status.tailBytes()) {
      logText = logText.substring(logText.length() - status.tailBytes());
    }
    return new Outcome(0, state + "\n" + logText, "");
  }

  private static String unquote(String s) {
    return s.startsWith("'") && s.endsWith("'") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
  }

  /** One exec request on this host. */
  private final class TwinCommand implements Command {
    private final String line;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile boolean destroyed;

    TwinCommand(String line) {
      this.line = line;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      String user = channel.getSession().getUsername();
      if ("sudo reboot".equals(line)) {
        var fail = faults.consult(site, SYSTEM, host.name(), "command-fails", f -> failsOn(f, line));
        if (fail.isEmpty()) {
          actions.record(site, SYSTEM, target(), "exec", Map.of("command", line, "user", user));
          reboot();
          // the connection drops as the host goes down: no exit status
          channel.getSession().close(true);
          return;
        }
        reply(injectedFailure(fail.get(), line), null);
        return;
      }
      execute(line, user).whenComplete(this::reply);
    }

    private void reply(Outcome o, Throwable e) {
      if (destroyed) {
        return;
      }
      try {
        Outcome outcome = e != null ? new Outcome(1, "", e + "\n") : o;
        out.write(outcome.out().getBytes(StandardCharsets.UTF_8));
        out.flush();
        err.write(outcome.err().getBytes(StandardCharsets.UTF_8));
        err.flush();
        exit.onExit(outcome.exit());
      } catch (IOException ex) {
        log.debug("{}: client went away: {}", target(), ex.toString());
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      destroyed = true;
    }
  }
}
