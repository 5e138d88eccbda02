package org.lsst.ts.upgrade.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the entries of a tar stream (ustar, with GNU long names and PAX path headers, as Jib and
 * GNU tar write them): enough to look inside an image tarball and its layers without a Docker engine.
 */
final class TarReader {
  /** One entry; {@code content} is kept only when asked for. */
  record Entry(String name, int mode, long size, char type, int uid, byte[] content) {
    boolean isFile() {
      return type == '0' || type == '\0';
    }

    boolean isDirectory() {
      return type == '5';
    }

    String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  interface Keep {
    boolean content(String name);
  }

  private TarReader() {}

  /** Entries by name (leading "./" and "/" removed; directories end without "/"), in tar order. */
  static Map<String, Entry> read(InputStream in, Keep keep) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    byte[] header = new byte[512];
    String longName = null;
    while (readFully(in, header)) {
      if (isZero(header)) {
        break;
      }
      String name = string(header, 0, 100);
      String prefix = string(header, 345, 155);
      if (!prefix.isEmpty() && header[257] == 'u') {
        name = prefix + "/" + name;
      }
      int mode = (int) octal(header, 100, 8);
      int uid = (int) octal(header, 108, 8);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      boolean special = type == 'L' || type == 'x' || type == 'g';
      byte[] data = special || keep.content(normalize(longName != null ? longName : name)) ? readBytes(in, size) : null;
      if (data == null) {
        skipFully(in, size);
      }
      skipFully(in, (512 - size % 512) % 512);
      if (type == 'L') {
        longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'x') {
        String path = paxPath(data);
        if (path != null) {
          longName = path;
        }
        continue;
      }
      if (type == 'g') {
        continue;
      }
      String n = normalize(longName != null ? longName : name);
      longName = null;
      entries.put(n, new Entry(n, mode, size, type, uid, data));
    }
    return entries;
  }

  private static String paxPath(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8);
    for (String record : s.split("\n")) {
      int sp = record.indexOf(' ');
      if (sp > 0 && record.startsWith("path=", sp + 1)) {
        return record.substring(sp + 1 + "path=".length());
      }
    }
    return null;
  }

  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int r = in.read(b, off, b.length - off);
      if (r < 0) {
        if (off == 0) {
          return false;
        }
        throw new IOException("truncated tar header");
      }
      off += r;
    }
    return true;
  }

  private static byte[] readBytes(InputStream in, long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    byte[] buf = new byte[8192];
    long left = size;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("truncated tar entry");
      }
      out.write(buf, 0, r);
      left -= r;
    }
    return out.toByteArray();
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new IOException("truncated tar entry");
        }
        s = 1;
      }
      left -= s;
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    String s = string(b, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }
}
