package org.lsst.ts.upgrade.hosts;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Accepts a host key only when the known_hosts file lists exactly that key for the host. An
 * unknown or changed key is refused; the reason (host and fingerprints) is kept for the session so
 * that the caller can say why the connection failed instead of MINA's generic message. It is kept
 * here, not in the session's attributes: MINA closes the session on the failed key exchange, and
 * that can clear them before the caller looks.
 */
final class StrictHostKeyVerifier implements ServerKeyVerifier {
  private final Map<ClientSession, String> refusals = Collections.synchronizedMap(new WeakHashMap<>());

  private final KnownHostsServerKeyVerifier knownHosts;
  private final Path file;

  StrictHostKeyVerifier(Path knownHostsFile) {
    this.file = knownHostsFile;
    // the delegate sees only keys that known_hosts does not list for the host: refuse them all
    this.knownHosts = new KnownHostsServerKeyVerifier((session, address, key) -> {
      refusals.put(session, "host key " + KeyUtils.getFingerPrint(key) + " of " + describe(session, address)
          + " is not in the known_hosts file " + file + "; refusing to connect (verify the fingerprint and add the key)");
      return false;
    }, knownHostsFile);
    this.knownHosts.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> {
      refusals.put(session, "HOST KEY CHANGED for " + describe(session, address) + ": it presented "
          + KeyUtils.getFingerPrint(actual) + " but the known_hosts file " + file + " has " + KeyUtils.getFingerPrint(expected)
          + "; refusing to connect (possible man-in-the-middle, or the host was reinstalled)");
      return false;
    });
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
    boolean ok = knownHosts.verifyServerKey(session, remoteAddress, serverKey);
    if (!ok) {
      refusals.putIfAbsent(session, "host key " + KeyUtils.getFingerPrint(serverKey) + " of "
          + describe(session, remoteAddress) + " was refused (known_hosts file " + file + ")");
    }
    return ok;
  }

  /** Why the session's host key was refused, or null; forgotten once asked. */
  String refusal(ClientSession session) {
    return refusals.remove(session);
  }

  private static String describe(ClientSession session, SocketAddress address) {
    SocketAddress connect = session.getConnectAddress();
    return String.valueOf(connect != null ? connect : address);
  }
}
