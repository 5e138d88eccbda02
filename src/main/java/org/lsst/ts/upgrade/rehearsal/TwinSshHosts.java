package org.lsst.ts.upgrade.rehearsal;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.threads.ThreadUtils;
import org.lsst.ts.upgrade.hosts.SshIdentity;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The twin's SSH hosts: one Apache MINA SSH server per host of every site file, each with its own
 * host key, on loopback ports. At start it generates the orchestrator's rehearsal key and a
 * known_hosts file listing every twin host (in a temporary directory), provides them to the SSH
 * client as its {@link SshIdentity}, and points each site's hosts at the twin.
 *
 * <p>Faults ({@link FaultRegistry}, system {@code ssh}, target = host name): {@code down} (refuses
 * the connection), {@code command-fails} (params {@code exit}, {@code message}), {@code hang} (the
 * command never finishes), {@code changed-host-key} (the host presents another key), {@code slow}
 * (param {@code millis}: a command takes that much longer, a reboot stays down that much longer).
 */
@Component
@Primary
@Profile("rehearsal")
public class TwinSshHosts implements SshIdentity {
  private static final Logger log = LoggerFactory.getLogger(TwinSshHosts.class);

  private final Path dir;
  private final Path keyFile;
  private final Path knownHosts;
  private final Map<String, Map<String, TwinSshHost>> hosts = new LinkedHashMap<>();
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;

  public TwinSshHosts(SimulatedSites sites, TwinCscs cscs, ActionLog actions, LatencyModel latency, FaultRegistry faults) {
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "twin-ssh-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    timer = ThreadUtils.newSingleThreadScheduledExecutor("twin-ssh-timer");
    try {
      dir = Files.createTempDirectory("upgrade-rehearsal-ssh-");
      keyFile = dir.resolve("id_ecdsa");
      knownHosts = dir.resolve("known_hosts");
      KeyPair clientKey = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
      writePrivate(clientKey, keyFile);
      StringBuilder known = new StringBuilder();
      for (Site site : sites.all()) {
        Map<String, TwinSshHost> byName = new LinkedHashMap<>();
        for (Site.Host h : site.hosts()) {
          TwinSshHost twin = new TwinSshHost(site.id(), h, clientKey.getPublic(), cscs, actions, latency, faults,
              executor, timer);
          byName.put(h.name(), twin);
          known.append("[127.0.0.1]:").append(twin.port()).append(' ')
              .append(PublicKeyEntry.toString(twin.hostKey())).append('\n');
        }
        hosts.put(site.id(), byName);
        sites.update(site.id(), s -> s.withHosts(s.hosts().stream()
            .map(h -> byName.containsKey(h.name()) ? h.withAddress("127.0.0.1", byName.get(h.name()).port()) : h)
            .toList()));
      }
      Files.writeString(knownHosts, known);
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException("cannot start the twin's SSH hosts", e);
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("cannot start the twin's SSH hosts: " + e.getMessage(), e);
    }
    log.info("Twin SSH hosts listening: {} (rehearsal key {}, known_hosts {})",
        hosts.values().stream().mapToInt(Map::size).sum(), keyFile, knownHosts);
  }

  private static void writePrivate(KeyPair key, Path file) throws IOException, GeneralSecurityException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "upgrade-orchestrator-rehearsal", null, out);
    }
  }

  /** The rehearsal client key (generated at start). */
  @Override
  public Path keyFile() {
    return keyFile;
  }

  /** A known_hosts file listing every twin host's key. */
  @Override
  public Path knownHostsFile() {
    return knownHosts;
  }

  /** The branch {@code update_repo} last checked out for a repository on a host, or null. */
  public String branch(String site, String host, String repo) {
    return host(site, host).branch(repo);
  }

  /** The SHA256 fingerprint of the host's (unchanged) key, as the known_hosts file has it. */
  public String hostKeyFingerprint(String site, String host) {
    return KeyUtils.getFingerPrint(host(site, host).hostKey());
  }

  /** The host's current boot id (what {@code cat /proc/sys/kernel/random/boot_id} prints). */
  public String bootId(String site, String host) {
    return host(site, host).bootId();
  }

  /** False while the host is rebooting. */
  public boolean isUp(String site, String host) {
    return host(site, host).up();
  }

  /** Every host of the site up (reboots in progress are over). */
  public void reset(String site) {
    hosts.getOrDefault(site, Map.of()).values().forEach(TwinSshHost::reset);
  }

  public List<String> hostNames(String site) {
    Map<String, TwinSshHost> m = hosts.get(site);
    return m == null ? List.of() : new ArrayList<>(m.keySet());
  }

  private TwinSshHost host(String site, String host) {
    Map<String, TwinSshHost> m = hosts.get(site);
    TwinSshHost h = m == null ? null : m.get(host);
    if (h == null) {
      throw new IllegalArgumentException("the twin has no SSH host '" + host + "' at site '" + site + "'");
    }
    return h;
  }

  @PreDestroy
  void stop() {
    hosts.values().forEach(m -> m.values().forEach(TwinSshHost::stop));
    executor.shutdownNow();
    timer.shutdownNow();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        log.debug("cannot delete {}: {}", dir, e.toString());
      }
    }
  }
}
