package org.lsst.ts.upgrade.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsst.ts.upgrade.site.SiteFileValidationTestsAccess;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

/**
 * ed25519, the key type OpenSSH generates by default, end to end with the production SSH client: an
 * ed25519 user key read from an OpenSSH private-key file, and an ed25519 host key checked against
 * its known_hosts entry, against a MINA SSHD server on loopback that offers and accepts nothing else.
 * MINA handles ed25519 through BouncyCastle (declared in the pom next to sshd-core).
 */
class Ed25519KeyTests {
  private static final String ED25519 = KeyPairProvider.SSH_ED25519;
  private static final String HOST = "auxtel-mcm";

  @TempDir Path dir;

  private KeyPair userKey;
  private KeyPair hostKey;
  private SshServer server;
  private final List<String> authenticated = new CopyOnWriteArrayList<>();
  private Sites sites;
  private SshRemoteHosts client;

  @BeforeEach
  void startServer() throws Exception {
    userKey = KeyUtils.generateKeyPair(ED25519, 256);
    hostKey = KeyUtils.generateKeyPair(ED25519, 256);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(session -> List.of(hostKey));
    server.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator((user, key, session) -> {
      boolean ok = ED25519.equals(KeyUtils.getKeyType(key)) && KeyUtils.compareKeys(key, userKey.getPublic());
      if (ok) {
        authenticated.add(user + " " + KeyUtils.getKeyType(key));
      }
      return ok;
    });
    server.setCommandFactory((channel, command) -> new Echo(command));
    server.start();

    // a valid small site (id lab) whose host auxtel-mcm is pointed at the server
    Files.writeString(dir.resolve("lab.yaml"), SiteFileValidationTestsAccess.VALID);
    sites = new Sites(new SiteProperties(dir));
    sites = sites.with("lab", s -> s.withHosts(s.hosts().stream().map(h -> h.withAddress("127.0.0.1", server.getPort())).toList()));
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.stop();
    }
    server.stop(true);
  }

  private Path writeUserKey(KeyPair pair) throws Exception {
    Path key = dir.resolve("id_ed25519");
    try (OutputStream out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "operator@lab", null, out);
    }
    assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    return key;
  }

  private Path knownHosts(KeyPair listed) throws IOException {
    String entry = "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(listed.getPublic()) + "\n";
    assertThat(entry).contains(" ssh-ed25519 AAAA");
    return Files.writeString(dir.resolve("known_hosts"), entry);
  }

  private SshRemoteHosts client(Path key, Path knownHosts) {
    SshProperties properties = new SshProperties(key, knownHosts, "upgrade-orchestrator", Duration.ofSeconds(10),
        Duration.ofSeconds(30), 65536, 2, ".upgrade-orchestrator/jobs");
    client = new SshRemoteHosts(sites, properties, new ConfiguredSshIdentity(properties));
    return client;
  }

  @Test
  void anEd25519UserKeyLogsInToAHostWithAnEd25519HostKey() throws Exception {
    HostResult r = client(writeUserKey(userKey), knownHosts(hostKey)).run("lab", HOST, List.of(HostCommand.of("hostname")));

    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.commands().get(0).stdout()).isEqualTo("ran: hostname\n");
    // asked twice: the key offered, then its signature checked
    assertThat(authenticated).isNotEmpty().containsOnly("upgrade-orchestrator " + ED25519);
  }

  @Test
  void anotherEd25519HostKeyThanTheKnownHostsEntryIsRefused() throws Exception {
    KeyPair listed = KeyUtils.generateKeyPair(ED25519, 256);
    HostResult r = client(writeUserKey(userKey), knownHosts(listed)).run("lab", HOST, List.of(HostCommand.of("hostname")));

    assertThat(r.ok()).isFalse();
    assertThat(r.commands()).isEmpty();
    assertThat(r.error()).contains("HOST KEY CHANGED").contains(KeyUtils.getFingerPrint(hostKey.getPublic()))
        .contains(KeyUtils.getFingerPrint(listed.getPublic()));
    assertThat(authenticated).isEmpty();
  }

  @Test
  void anEd25519UserKeyTheHostDoesNotKnowIsRefused() throws Exception {
    KeyPair stranger = KeyUtils.generateKeyPair(ED25519, 256);
    HostResult r = client(writeUserKey(stranger), knownHosts(hostKey)).run("lab", HOST,
        List.of(HostCommand.of("hostname")));

    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("public-key authentication as 'upgrade-orchestrator' was refused");
    assertThat(authenticated).isEmpty();
  }

  /** Prints "ran: <command>" and exits 0. */
  private static final class Echo implements Command {
    private final String line;
    private OutputStream out;
    private ExitCallback exit;

    Echo(String line) {
      this.line = line;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      out.write(("ran: " + line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      exit.onExit(0);
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
