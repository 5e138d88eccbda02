package org.lsst.ts.upgrade.hosts;

import java.nio.file.Path;

/**
 * Where the SSH client finds its private key and its known_hosts file. In production both come
 * from {@code upgrade.ssh.key-file} / {@code upgrade.ssh.known-hosts-file}; the rehearsal twin
 * provides a primary bean with the key and known_hosts it generates at start.
 */
public interface SshIdentity {
  Path keyFile();

  Path knownHostsFile();
}
