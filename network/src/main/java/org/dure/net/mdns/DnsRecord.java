package org.dure.net.mdns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource record of an answer, authority or additional section.
 *
 * @param name the owner name, labels joined by {@code .}, without a trailing dot
 * @param type the record type; {@code data} decides it for the known types
 * @param dnsClass the class as sent: in mDNS the top bit is the "cache flush" bit (RFC 6762 §10.2)
 * @param ttl time to live in seconds (unsigned 32 bits)
 * @param data the typed record data
 */
public record DnsRecord(String name, int type, int dnsClass, long ttl, Data data) {
  public static final int TYPE_A = 1;
  public static final int TYPE_PTR = 12;
  public static final int TYPE_TXT = 16;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SRV = 33;
  public static final int TYPE_ANY = 255;
  public static final int CLASS_IN = 1;

  /** The cache-flush bit of {@link #dnsClass()}. */
  public static final int CACHE_FLUSH_BIT = 0x8000;

  public DnsRecord {
    DnsName.checkName(name);
    checkU16("type", type);
    checkU16("class", dnsClass);
    if (ttl < 0 || ttl > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ttl out of range: " + ttl);
    }
    int expected = data.type();
    if (expected >= 0 && expected != type) {
      throw new IllegalArgumentException("type " + type + " does not match data " + data);
    }
  }

  /** An {@code IN} record whose type is taken from {@code data} (not for {@link Other}). */
  public static DnsRecord of(String name, long ttl, Data data) {
    if (data.type() < 0) {
      throw new IllegalArgumentException("give the type of an Other record explicitly");
    }
    return new DnsRecord(name, data.type(), CLASS_IN, ttl, data);
  }

  /** The class without the cache-flush bit. */
  public int classWithoutFlag() {
    return dnsClass & ~CACHE_FLUSH_BIT;
  }

  static void checkU16(String what, int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException(what + " out of range: " + v);
    }
  }

  /** Typed record data. */
  public sealed interface Data permits Ptr, Txt, A, Aaaa, Srv, Other {
    /** The record type this data belongs to, or -1 for {@link Other}. */
    int type();
  }

  /** {@code PTR}: a domain name. */
  public record Ptr(String target) implements Data {
    public Ptr {
      DnsName.checkName(target);
    }

    @Override
    public int type() {
      return TYPE_PTR;
    }
  }

  /** {@code TXT}: character strings of at most 255 bytes each. */
  public record Txt(List<byte[]> strings) implements Data {
    public Txt {
      List<byte[]> copy = new ArrayList<>(strings.size());
      for (byte[] s : strings) {
        if (s.length > 255) {
          throw new IllegalArgumentException("TXT string longer than 255 bytes");
        }
        copy.add(s.clone());
      }
      strings = List.copyOf(copy);
    }

    /** A TXT record of UTF-8 strings. */
    public static Txt ofStrings(List<String> strings) {
      return new Txt(strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    @Override
    public List<byte[]> strings() {
      return strings.stream().map(byte[]::clone).toList();
    }

    /** The strings decoded as UTF-8 (malformed bytes become U+FFFD). */
    public List<String> texts() {
      return strings.stream().map(s -> new String(s, StandardCharsets.UTF_8)).toList();
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Txt t) || t.strings.size() != strings.size()) {
        return false;
      }
      for (int i = 0; i < strings.size(); i++) {
        if (!java.util.Arrays.equals(strings.get(i), t.strings.get(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (byte[] s : strings) {
        h = h * 31 + java.util.Arrays.hashCode(s);
      }
      return h;
    }

    @Override
    public String toString() {
      return "Txt" + texts();
    }

    @Override
    public int type() {
      return TYPE_TXT;
    }
  }

  /** {@code A}: an IPv4 address. */
  public record A(Inet4Address address) implements Data {
    @Override
    public int type() {
      return TYPE_A;
    }
  }

  /** {@code AAAA}: an IPv6 address. */
  public record Aaaa(Inet6Address address) implements Data {
    @Override
    public int type() {
      return TYPE_AAAA;
    }
  }

  /** {@code SRV} (RFC 2782). */
  public record Srv(int priority, int weight, int port, String target) implements Data {
    public Srv {
      checkU16("priority", priority);
      checkU16("weight", weight);
      checkU16("port", port);
      DnsName.checkName(target);
    }

    @Override
    public int type() {
      return TYPE_SRV;
    }
  }

  /** Data of any other type, kept as raw bytes (names inside it are not decompressed). */
  public record Other(byte[] raw) implements Data {
    public Other {
      if (raw.length > 0xFFFF) {
        throw new IllegalArgumentException("rdata too long");
      }
      raw = raw.clone();
    }

    @Override
    public byte[] raw() {
      return raw.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Other other && java.util.Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
      return "Other[" + raw.length + " bytes]";
    }

    @Override
    public int type() {
      return -1;
    }
  }
}
