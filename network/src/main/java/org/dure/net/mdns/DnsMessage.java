package org.dure.net.mdns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DNS message (RFC 1035 §4.1) with just what mDNS discovery needs: header, questions, and
 * records; {@code PTR}, {@code TXT}, {@code A}, {@code AAAA} and {@code SRV} data are typed, other
 * types are kept raw.
 *
 * <pre>
 *   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 * | ID                                            |
 * |QR| Opcode    |AA|TC|RD|RA| Z      | RCODE     |
 * | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT          |  (16 bits each)
 * </pre>
 *
 * <p>{@link #decode} accepts at most {@link #MAX_PACKET} bytes, checks every count and length
 * against the bytes left before allocating, and follows name compression pointers only backwards
 * and at most {@link DnsName#MAX_POINTERS} times per name. Anything else raises {@link
 * DnsFormatException}. {@link #encode} compresses names.
 *
 * @param id message id (0 in mDNS, RFC 6762 §18.1)
 * @param flags the 16 flag bits of the header
 */
public record DnsMessage(
    int id,
    int flags,
    List<DnsQuestion> questions,
    List<DnsRecord> answers,
    List<DnsRecord> authorities,
    List<DnsRecord> additionals) {

  /** RFC 6762 §17: "a Multicast DNS packet ... MUST NOT exceed 9000 bytes". */
  public static final int MAX_PACKET = 9000;

  public static final int FLAG_RESPONSE = 0x8000;
  public static final int FLAG_AUTHORITATIVE = 0x0400;
  public static final int FLAG_TRUNCATED = 0x0200;

  private static final int HEADER = 12;
  private static final int MIN_QUESTION = 5; // root name + type + class
  private static final int MIN_RECORD = 11; // root name + type + class + ttl + rdlength

  public DnsMessage {
    DnsRecord.checkU16("id", id);
    DnsRecord.checkU16("flags", flags);
    questions = List.copyOf(questions);
    answers = List.copyOf(answers);
    authorities = List.copyOf(authorities);
    additionals = List.copyOf(additionals);
    for (List<?> l : List.of(questions, answers, authorities, additionals)) {
      if (l.size() > 0xFFFF) {
        throw new IllegalArgumentException("section has more than 65535 entries");
      }
    }
  }

  /** A query (id 0, no flags) for the given questions. */
  public static DnsMessage query(List<DnsQuestion> questions) {
    return new DnsMessage(0, 0, questions, List.of(), List.of(), List.of());
  }

  /** An authoritative response (id 0, QR and AA set, RFC 6762 §18). */
  public static DnsMessage response(List<DnsRecord> answers, List<DnsRecord> additionals) {
    return new DnsMessage(
        0, FLAG_RESPONSE | FLAG_AUTHORITATIVE, List.of(), answers, List.of(), additionals);
  }

  /** The QR bit: a response rather than a query. */
  public boolean isResponse() {
    return (flags & FLAG_RESPONSE) != 0;
  }

  /** The 4-bit opcode (0 = standard query; mDNS ignores all others). */
  public int opcode() {
    return (flags >>> 11) & 0xF;
  }

  /** The 4-bit response code (mDNS ignores messages where it is not 0). */
  public int responseCode() {
    return flags & 0xF;
  }

  /** Decodes a whole packet. */
  public static DnsMessage decode(byte[] packet) throws DnsFormatException {
    return decode(packet, 0, packet.length);
  }

  /**
   * Decodes {@code length} bytes at {@code offset}.
   *
   * @throws DnsFormatException if the bytes are not a well-formed message within the limits
   */
  public static DnsMessage decode(byte[] packet, int offset, int length) throws DnsFormatException {
    if (length > MAX_PACKET) {
      throw new DnsFormatException("packet of " + length + " bytes exceeds " + MAX_PACKET);
    }
    // Work on a copy starting at 0: compression offsets are relative to the message start.
    byte[] b = Arrays.copyOfRange(packet, offset, offset + length);
    if (b.length < HEADER) {
      throw new DnsFormatException("packet shorter than the 12-byte header");
    }
    int id = u16(b, 0);
    int flags = u16(b, 2);
    int qd = u16(b, 4);
    int an = u16(b, 6);
    int ns = u16(b, 8);
    int ar = u16(b, 10);
    long minimum = (long) qd * MIN_QUESTION + ((long) an + ns + ar) * MIN_RECORD + (long) HEADER;
    if (minimum > b.length) {
      throw new DnsFormatException(
          "counts (" + qd + "," + an + "," + ns + "," + ar + ") exceed the packet");
    }
    int[] pos = {HEADER};
    List<DnsQuestion> questions = new ArrayList<>(qd);
    for (int i = 0; i < qd; i++) {
      DnsName.Read name = DnsName.read(b, b.length, pos[0]);
      int p = name.next();
      need(b, p, 4, "question");
      questions.add(new DnsQuestion(name.name(), u16(b, p), u16(b, p + 2)));
      pos[0] = p + 4;
    }
    List<DnsRecord> answers = readRecords(b, pos, an);
    List<DnsRecord> authorities = readRecords(b, pos, ns);
    List<DnsRecord> additionals = readRecords(b, pos, ar);
    // Trailing bytes after the last record are tolerated, as most resolvers do.
    return new DnsMessage(id, flags, questions, answers, authorities, additionals);
  }

  private static List<DnsRecord> readRecords(byte[] b, int[] pos, int count)
      throws DnsFormatException {
    List<DnsRecord> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      DnsName.Read name = DnsName.read(b, b.length, pos[0]);
      int p = name.next();
      need(b, p, 10, "record header");
      int type = u16(b, p);
      int dnsClass = u16(b, p + 2);
      long ttl = u32(b, p + 4);
      int rdLength = u16(b, p + 8);
      int rdStart = p + 10;
      need(b, rdStart, rdLength, "record data");
      int rdEnd = rdStart + rdLength;
      DnsRecord.Data data = readData(b, type, rdStart, rdEnd);
      out.add(new DnsRecord(name.name(), type, dnsClass, ttl, data));
      pos[0] = rdEnd;
    }
    return out;
  }

  private static DnsRecord.Data readData(byte[] b, int type, int start, int end)
      throws DnsFormatException {
    int len = end - start;
    switch (type) {
      case DnsRecord.TYPE_A -> {
        if (len != 4) {
          throw new DnsFormatException("A record data of " + len + " bytes, expected 4");
        }
        return new DnsRecord.A((Inet4Address) address(b, start, 4));
      }
      case DnsRecord.TYPE_AAAA -> {
        if (len != 16) {
          throw new DnsFormatException("AAAA record data of " + len + " bytes, expected 16");
        }
        InetAddress a = address(b, start, 16);
        if (!(a instanceof Inet6Address v6)) {
          // The JDK turns IPv4-mapped IPv6 addresses into Inet4Address; keep them raw.
          return new DnsRecord.Other(Arrays.copyOfRange(b, start, end));
        }
        return new DnsRecord.Aaaa(v6);
      }
      case DnsRecord.TYPE_PTR -> {
        DnsName.Read target = DnsName.read(b, b.length, start);
        if (target.next() != end) {
          throw new DnsFormatException("PTR name does not fill its record data");
        }
        return new DnsRecord.Ptr(target.name());
      }
      case DnsRecord.TYPE_SRV -> {
        if (len < 7) {
          throw new DnsFormatException("SRV record data of " + len + " bytes");
        }
        DnsName.Read target = DnsName.read(b, b.length, start + 6);
        if (target.next() != end) {
          throw new DnsFormatException("SRV target does not fill its record data");
        }
        return new DnsRecord.Srv(
            u16(b, start), u16(b, start + 2), u16(b, start + 4), target.name());
      }
      case DnsRecord.TYPE_TXT -> {
        List<byte[]> strings = new ArrayList<>();
        int p = start;
        while (p < end) {
          int n = b[p] & 0xFF;
          if (n > end - p - 1) {
            throw new DnsFormatException("TXT string overruns its record data");
          }
          strings.add(Arrays.copyOfRange(b, p + 1, p + 1 + n));
          p += 1 + n;
        }
        return new DnsRecord.Txt(strings);
      }
      default -> {
        return new DnsRecord.Other(Arrays.copyOfRange(b, start, end));
      }
    }
  }

  private static InetAddress address(byte[] b, int start, int n) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, start, start + n));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
    }
  }

  private static void need(byte[] b, int pos, int n, String what) throws DnsFormatException {
    if (n > b.length - pos) {
      throw new DnsFormatException("truncated " + what + " at offset " + pos);
    }
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static long u32(byte[] b, int p) {
    return ((long) u16(b, p) << 16) | u16(b, p + 2);
  }

  /**
   * Encodes the message, compressing names.
   *
   * @throws IllegalStateException if the result would exceed {@link #MAX_PACKET} bytes
   */
  public byte[] encode() {
    DnsName.Output out = new DnsName.Output();
    DnsName.Writer names = new DnsName.Writer(out);
    writeU16(out, id);
    writeU16(out, flags);
    writeU16(out, questions.size());
    writeU16(out, answers.size());
    writeU16(out, authorities.size());
    writeU16(out, additionals.size());
    for (DnsQuestion q : questions) {
      names.write(q.name());
      writeU16(out, q.type());
      writeU16(out, q.dnsClass());
    }
    for (List<DnsRecord> section : List.of(answers, authorities, additionals)) {
      for (DnsRecord r : section) {
        writeRecord(out, names, r);
        if (out.size() > MAX_PACKET) {
          throw new IllegalStateException("DNS message exceeds " + MAX_PACKET + " bytes");
        }
      }
    }
    if (out.size() > MAX_PACKET) {
      throw new IllegalStateException("DNS message exceeds " + MAX_PACKET + " bytes");
    }
    return out.toByteArray();
  }

  private static void writeRecord(DnsName.Output out, DnsName.Writer names, DnsRecord r) {
    names.write(r.name());
    writeU16(out, r.type());
    writeU16(out, r.dnsClass());
    writeU16(out, (int) (r.ttl() >>> 16));
    writeU16(out, (int) (r.ttl() & 0xFFFF));
    // Data goes straight into `out` so that names in it may be compressed; patch the length.
    int lengthAt = out.size();
    writeU16(out, 0);
    int start = out.size();
    switch (r.data()) {
      case DnsRecord.Ptr ptr -> names.write(ptr.target());
      case DnsRecord.Txt txt -> {
        for (byte[] s : txt.strings()) {
          out.write(s.length);
          out.writeBytes(s);
        }
      }
      case DnsRecord.A a -> out.writeBytes(a.address().getAddress());
      case DnsRecord.Aaaa a -> out.writeBytes(a.address().getAddress());
      case DnsRecord.Srv srv -> {
        writeU16(out, srv.priority());
        writeU16(out, srv.weight());
        writeU16(out, srv.port());
        names.write(srv.target());
      }
      case DnsRecord.Other other -> out.writeBytes(other.raw());
    }
    int length = out.size() - start;
    if (length > 0xFFFF) {
      throw new IllegalStateException("record data longer than 65535 bytes");
    }
    out.setU16(lengthAt, length);
  }

  private static void writeU16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v & 0xFF);
  }
}
