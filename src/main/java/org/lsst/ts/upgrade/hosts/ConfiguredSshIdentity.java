package org.lsst.ts.upgrade.hosts;

import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** The identity configured in {@code upgrade.ssh}. */
@Component
class ConfiguredSshIdentity implements SshIdentity {
  private final SshProperties properties;

  ConfiguredSshIdentity(SshProperties properties) {
    this.properties = properties;
  }

  @Override
  public Path keyFile() {
    return properties.keyFile();
  }

  @Override
  public Path knownHostsFile() {
    return properties.knownHostsFile();
  }
}
