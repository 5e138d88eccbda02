package org.lsst.ts.upgrade.rehearsal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The twins' HTTP servers: the JDK's {@link HttpServer} on loopback, with TCP_NODELAY. Without it
 * every answer waits ~40 ms: the server writes the headers and the body separately, and Nagle's
 * algorithm holds the body until the client's delayed ACK of the headers (measured: 45 ms per
 * schema fetch, 0.15 of the plain consumer's speed in {@code CscMonitorBenchmark}). The JDK reads
 * the setting once, when its first server is made in the JVM: every twin server goes through here.
 */
final class TwinHttp {
  static {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private TwinHttp() {}

  /** A server on a free loopback port (not started). */
  static HttpServer loopback(int backlog) throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
  }
}
