package org.lsst.ts.upgrade.hosts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.ssh.*}: how the orchestrator reaches the site's hosts.
 *
 * @param keyFile the private key (OpenSSH or PEM, unencrypted) used for public-key authentication;
 *     default {@code ~/.ssh/id_ecdsa}
 * @param knownHostsFile the known_hosts file every host key is verified against (no other key is
 *     ever accepted); default {@code ~/.ssh/known_hosts}
 * @param defaultUser login for hosts whose site entry names no {@code user} (unverified which
 *     service account the sites provide: set it)
 * @param connectTimeout the connection, then key exchange and authentication (each)
 * @param commandTimeout one (non-detached) command: only short ones run so (a boot id, a reboot
 *     request, the preflight's no-op, a detached job's start and status), on a job thread whose lock
 *     lasts 2 minutes; anything that may take longer runs detached
 * @param detachedTimeout how long a host step's detached commands may run before the step is an
 *     incident (they go on on the host; an operator's retry waits again)
 * @param outputLimit bytes of stdout and of stderr kept per command (the tail)
 * @param poolSize hosts worked on at the same time (a step's hosts: its detached jobs' start and polls)
 * @param jobDir directory on the hosts, relative to the login's home or absolute, holding one
 *     sub-directory per detached job (its script, log, pid and exit status)
 */
@ConfigurationProperties("upgrade.ssh")
public record SshProperties(
    Path keyFile,
    Path knownHostsFile,
    @DefaultValue("upgrade-orchestrator") String defaultUser,
    @DefaultValue("10s") Duration connectTimeout,
    @DefaultValue("60s") Duration commandTimeout,
    @DefaultValue("65536") int outputLimit,
    @DefaultValue("16") int poolSize,
    @DefaultValue(".upgrade-orchestrator/jobs") String jobDir,
    @DefaultValue("30m") Duration detachedTimeout) {

  static final Pattern JOB_DIR = Pattern.compile("/?[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  @ConstructorBinding
  public SshProperties {
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    keyFile = keyFile == null ? ssh.resolve("id_ecdsa") : keyFile;
    knownHostsFile = knownHostsFile == null ? ssh.resolve("known_hosts") : knownHostsFile;
    if (defaultUser == null || !USER.matcher(defaultUser).matches()) {
      throw new IllegalArgumentException("upgrade.ssh.default-user '" + defaultUser + "' is not a valid login name");
    }
    if (jobDir == null || !JOB_DIR.matcher(jobDir).matches() || jobDir.contains("..")) {
      throw new IllegalArgumentException("upgrade.ssh.job-dir '" + jobDir
          + "' must be a path of letters, digits, '.', '_', '-' and '/' without '..'");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("upgrade.ssh.pool-size must be at least 1: " + poolSize);
    }
    if (detachedTimeout == null || detachedTimeout.isNegative() || detachedTimeout.isZero()) {
      throw new IllegalArgumentException("upgrade.ssh.detached-timeout must be positive: " + detachedTimeout);
    }
    if (outputLimit < 1024) {
      throw new IllegalArgumentException("upgrade.ssh.output-limit must be at least 1024 bytes: " + outputLimit);
    }
  }

  /** With the default detached timeout (tests). */
  public SshProperties(Path keyFile, Path knownHostsFile, String defaultUser, Duration connectTimeout,
      Duration commandTimeout, int outputLimit, int poolSize, String jobDir) {
    this(keyFile, knownHostsFile, defaultUser, connectTimeout, commandTimeout, outputLimit, poolSize, jobDir,
        Duration.ofMinutes(30));
  }

  /** A copy with another identity (tests and the rehearsal twin). */
  public SshProperties withIdentity(Path newKeyFile, Path newKnownHostsFile) {
    return new SshProperties(newKeyFile, newKnownHostsFile, defaultUser, connectTimeout, commandTimeout,
        outputLimit, poolSize, jobDir, detachedTimeout);
  }

  public SshProperties withConnectTimeout(Duration timeout) {
    return new SshProperties(keyFile, knownHostsFile, defaultUser, timeout, commandTimeout, outputLimit,
        poolSize, jobDir, detachedTimeout);
  }

  public SshProperties withPoolSize(int size) {
    return new SshProperties(keyFile, knownHostsFile, defaultUser, connectTimeout, commandTimeout, outputLimit,
        size, jobDir, detachedTimeout);
  }

  public SshProperties withDetachedTimeout(Duration timeout) {
    return new SshProperties(keyFile, knownHostsFile, defaultUser, connectTimeout, commandTimeout, outputLimit,
        poolSize, jobDir, timeout);
  }

  public SshProperties withCommandTimeout(Duration timeout) {
    return new SshProperties(keyFile, knownHostsFile, defaultUser, connectTimeout, timeout, outputLimit,
        poolSize, jobDir, detachedTimeout);
  }
}
