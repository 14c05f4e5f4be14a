package org.dure.net.mdns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Domain names on the wire (RFC 1035 §3.1 and §4.1.4): reading with bounded decompression. */
final class DnsName {
  /** RFC 1035 §2.3.4: "names 255 octets or less" (wire form, with length bytes and the root). */
  static final int MAX_NAME_OCTETS = 255;

  /** RFC 1035 §2.3.4: "labels 63 octets or less". */
  static final int MAX_LABEL_OCTETS = 63;

  /**
   * At most this many compression pointers are followed for one name. Real encoders need one (a
   * pointer to an earlier name that itself ends in labels only) or a few.
   */
  static final int MAX_POINTERS = 16;

  private DnsName() {}

  /** A name read from a packet and the offset just after it in the original position. */
  record Read(String name, int next) {}

  /**
   * Reads the name at {@code start}, following compression pointers.
   *
   * <p>Each pointer must point before the previous one (or before the name's start): RFC 1035
   * §4.1.4 pointers refer to "a prior occurance of the same name", so a loop or a forward pointer
   * is malformed. At most {@link #MAX_POINTERS} pointers and {@link #MAX_NAME_OCTETS} octets.
   */
  static Read read(byte[] buf, int end, int start) throws DnsFormatException {
    StringBuilder sb = new StringBuilder();
    int p = start;
    int next = -1;
    int pointers = 0;
    int lowest = start;
    int octets = 1; // the terminating root label
    while (true) {
      if (p >= end) {
        throw new DnsFormatException("truncated name at offset " + start);
      }
      int len = buf[p] & 0xFF;
      int kind = len & 0xC0;
      if (kind == 0xC0) {
        if (p + 1 >= end) {
          throw new DnsFormatException("truncated compression pointer at offset " + p);
        }
        int target = ((len & 0x3F) << 8) | (buf[p + 1] & 0xFF);
        if (next < 0) {
          next = p + 2;
        }
        if (target >= lowest) {
          throw new DnsFormatException(
              "compression pointer loop or forward pointer at offset " + p + " to " + target);
        }
        if (++pointers > MAX_POINTERS) {
          throw new DnsFormatException("compression chain too deep at offset " + start);
        }
        lowest = target;
        p = target;
      } else if (kind != 0) {
        throw new DnsFormatException("unsupported label type 0x" + Integer.toHexString(len));
      } else if (len == 0) {
        p++;
        break;
      } else {
        if (len > end - p - 1) {
          throw new DnsFormatException("truncated label at offset " + p);
        }
        octets += len + 1;
        if (octets > MAX_NAME_OCTETS) {
          throw new DnsFormatException("name longer than 255 octets at offset " + start);
        }
        byte[] label = Arrays.copyOfRange(buf, p + 1, p + 1 + len);
        String text = new String(label, StandardCharsets.UTF_8);
        if (text.indexOf('.') >= 0
            || !Arrays.equals(text.getBytes(StandardCharsets.UTF_8), label)) {
          throw new DnsFormatException("label is not a dot-free UTF-8 string at offset " + p);
        }
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(text);
        p += 1 + len;
      }
    }
    return new Read(sb.toString(), next < 0 ? p : next);
  }

  /**
   * Checks a name given by a caller: empty (the root) or dot-separated labels of 1 to 63 UTF-8
   * bytes, at most 255 octets in wire form.
   *
   * @throws IllegalArgumentException if it is not
   */
  static void checkName(String name) {
    if (name.isEmpty()) {
      return;
    }
    int octets = 1;
    for (String label : name.split("\\.", -1)) {
      int n = label.getBytes(StandardCharsets.UTF_8).length;
      if (n == 0 || n > MAX_LABEL_OCTETS) {
        throw new IllegalArgumentException("invalid DNS label in name '" + name + "'");
      }
      octets += n + 1;
    }
    if (octets > MAX_NAME_OCTETS) {
      throw new IllegalArgumentException("DNS name longer than 255 octets");
    }
  }

  /** DNS names compare ASCII case-insensitively (RFC 1035 §2.3.3). */
  static boolean equalsIgnoreCase(String a, String b) {
    return a.length() == b.length() && lower(a).equals(lower(b));
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** A byte buffer whose bytes can be patched (for record lengths). */
  static final class Output extends ByteArrayOutputStream {
    Output() {
      super(512);
    }

    void setU16(int at, int v) {
      buf[at] = (byte) (v >>> 8);
      buf[at + 1] = (byte) v;
    }
  }

  /** Writes names with compression: a suffix already written becomes a pointer to it. */
  static final class Writer {
    private final ByteArrayOutputStream out;
    private final Map<String, Integer> suffixes = new HashMap<>();

    Writer(ByteArrayOutputStream out) {
      this.out = out;
    }

    void write(String name) {
      String rest = name;
      while (!rest.isEmpty()) {
        Integer at = suffixes.get(rest); // exact match: decoding gives back the same text
        if (at != null) {
          out.write(0xC0 | (at >>> 8));
          out.write(at & 0xFF);
          return;
        }
        if (out.size() < 0x3FFF) {
          suffixes.put(rest, out.size());
        }
        int dot = rest.indexOf('.');
        String label = dot < 0 ? rest : rest.substring(0, dot);
        byte[] b = label.getBytes(StandardCharsets.UTF_8);
        out.write(b.length);
        out.writeBytes(b);
        rest = dot < 0 ? "" : rest.substring(dot + 1);
      }
      out.write(0);
    }
  }
}
