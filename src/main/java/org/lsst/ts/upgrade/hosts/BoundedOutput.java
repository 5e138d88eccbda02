package org.lsst.ts.upgrade.hosts;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the last {@code limit} bytes written (the end of a log says what went wrong) and counts the rest. */
final class BoundedOutput extends OutputStream {
  private final byte[] ring;
  private long total;

  BoundedOutput(int limit) {
    this.ring = new byte[limit];
  }

  @Override
  public synchronized void write(int b) {
    ring[(int) (total % ring.length)] = (byte) b;
    total++;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = 0; i < len; i++) {
      write(b[off + i]);
    }
  }

  synchronized String text() {
    if (total <= ring.length) {
      return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
    }
    int start = (int) (total % ring.length);
    byte[] tail = new byte[ring.length];
    System.arraycopy(ring, start, tail, 0, ring.length - start);
    System.arraycopy(ring, 0, tail, ring.length - start, start);
    return "[... " + (total - ring.length) + " bytes left out ...]\n" + new String(tail, StandardCharsets.UTF_8);
  }
}
