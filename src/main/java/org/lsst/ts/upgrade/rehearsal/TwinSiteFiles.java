package org.lsst.ts.upgrade.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.SiteFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * What the standalone twin hands to an orchestrator, in {@code upgrade.twin.out-dir}: one site file
 * per site with the twin's endpoints and host addresses ({@code sites/<id>.yaml}), the rehearsal SSH
 * key and the twin hosts' known_hosts ({@code ssh/}), and {@code orchestrator.env}: the variables
 * that point an orchestrator at them (sites dir, SSH files, Slack API URL) and the twin's demo
 * credentials under the names the site files give. {@code control-url} holds the control API's
 * address. Written once every twin server listens; {@code orchestrator.env} last, so its presence
 * means the rest is there.
 */
@Component
@Profile(TwinApplication.PROFILE)
class TwinSiteFiles {
  private static final Logger log = LoggerFactory.getLogger(TwinSiteFiles.class);
  /** The site files' Slack token variable where a site names none. */
  static final String SLACK_TOKEN_ENV = "SLACK_REHEARSAL_TOKEN";

  private final SimulatedSites sites;
  private final TwinSshHosts ssh;
  private final TwinSlack slack;
  private final Environment environment;
  private final TwinProperties properties;

  TwinSiteFiles(SimulatedSites sites, TwinSshHosts ssh, TwinSlack slack, Environment environment, TwinProperties properties) {
    this.sites = sites;
    this.ssh = ssh;
    this.slack = slack;
    this.environment = environment;
    this.properties = properties;
  }

  @EventListener
  void write(WebServerInitializedEvent event) {
    Path out = properties.outDir().toAbsolutePath().normalize();
    try {
      Files.createDirectories(out.resolve("sites"));
      Files.deleteIfExists(out.resolve("orchestrator.env"));
      Map<String, String> env = new LinkedHashMap<>();
      env.put("UPGRADE_SITES_DIR", out.resolve("sites").toString());
      env.put("UPGRADE_BUILTIN_SITES", "false");
      Path key = copyPrivate(ssh.keyFile(), out.resolve("ssh").resolve("id_ecdsa"));
      Path known = Files.copy(ssh.knownHostsFile(), out.resolve("ssh").resolve("known_hosts"),
          StandardCopyOption.REPLACE_EXISTING);
      env.put("UPGRADE_SSH_KEY_FILE", key.toString());
      env.put("UPGRADE_SSH_KNOWN_HOSTS_FILE", known.toString());
      env.put("UPGRADE_SLACK_API_URL", slack.apiUrl());
      TreeSet<String> credentials = new TreeSet<>();
      for (Site site : sites.all()) {
        Site.Credentials c = site.credentials();
        if (c == null || c.slackTokenEnv() == null) {
          c = new Site.Credentials(c == null ? null : c.loveUsernameEnv(), c == null ? null : c.lovePasswordEnv(),
              c == null ? null : c.argocdTokenEnv(), c == null ? null : c.argocdUsernameEnv(),
              c == null ? null : c.argocdPasswordEnv(), c == null ? null : c.kafkaUsernameEnv(),
              c == null ? null : c.kafkaPasswordEnv(), SLACK_TOKEN_ENV);
          site = site.withCredentials(c);
        }
        SiteFileWriter.write(site, out.resolve("sites"), "written by the rehearsal twin: its endpoints on this machine");
        env.put(c.slackTokenEnv(), slack.token(site).orElseThrow());
        for (String name : new String[] {c.loveUsernameEnv(), c.lovePasswordEnv(), c.argocdTokenEnv(),
            c.argocdUsernameEnv(), c.argocdPasswordEnv(), c.kafkaUsernameEnv(), c.kafkaPasswordEnv()}) {
          if (name != null) {
            credentials.add(name);
          }
        }
      }
      for (String name : credentials) {
        String value = environment.getProperty(name);
        if (value != null) {
          env.put(name, value);
        }
      }
      int port = event.getWebServer().getPort();
      Files.writeString(out.resolve("control-url"), "http://127.0.0.1:" + port + "\n");
      StringBuilder text = new StringBuilder("# written by the rehearsal twin: an orchestrator started with these\n"
          + "# variables (and a production profile) acts on the twin. Demo credentials only.\n");
      env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Path tmp = Files.createTempFile(out, ".orchestrator", ".env",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, text);
      Files.move(tmp, out.resolve("orchestrator.env"), StandardCopyOption.ATOMIC_MOVE);
      log.info("Twin: site files, SSH key and orchestrator.env written to {}; control API at http://127.0.0.1:{}",
          out, port);
    } catch (IOException e) {
      throw new UncheckedIOException("the twin cannot write its site files into " + out, e);
    }
  }

  private static Path copyPrivate(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.deleteIfExists(to);
    Files.createFile(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(to, Files.readAllBytes(from));
    return to;
  }
}
