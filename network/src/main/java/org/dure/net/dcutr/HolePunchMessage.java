package org.dure.net.dcutr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.protocol.LengthPrefixed;

/**
 * The DCUtR message, unsigned-varint length-prefixed on a {@code /libp2p/dcutr} stream:
 *
 * <pre>
 * message HolePunch {
 *   enum Type { CONNECT = 100; SYNC = 300; }
 *   required Type type = 1;
 *   repeated bytes ObsAddrs = 2;
 * }
 * </pre>
 *
 * "Implementations SHOULD refuse encoded RPC messages (length prefix excluded) larger than 4 KiB":
 * a longer one is a protocol violation, refused before anything is allocated for it. Addresses this
 * node cannot parse are left out (a peer may know more protocols); at most {@link #MAX_ADDRESSES}
 * are kept.
 *
 * @param addresses the sender's observed (and listen) addresses; empty in SYNC
 */
public record HolePunchMessage(Type type, List<Multiaddr> addresses) {
  /** Largest message sent or accepted (the spec's 4 KiB). */
  public static final int MAX_SIZE = 4096;

  /** Most addresses kept from one message (each may become a dial). */
  public static final int MAX_ADDRESSES = 16;

  /** The message type, with its wire value. */
  public enum Type {
    CONNECT(100),
    SYNC(300);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Type fromCode(long code) throws ProtocolViolationException {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new ProtocolViolationException("unknown DCUtR message type " + code);
    }
  }

  public HolePunchMessage {
    if (type == null) {
      throw new IllegalArgumentException("type is required");
    }
    addresses = List.copyOf(addresses);
  }

  public static HolePunchMessage connect(List<Multiaddr> addresses) {
    return new HolePunchMessage(Type.CONNECT, addresses);
  }

  public static HolePunchMessage sync() {
    return new HolePunchMessage(Type.SYNC, List.of());
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter().uint64(1, type.code());
    for (Multiaddr a : addresses) {
      w.bytes(2, a.toBytes());
    }
    return w.toByteArray();
  }

  /**
   * Decodes one message body.
   *
   * @throws ProtocolViolationException if it is too large, malformed, or lacks or has an unknown
   *     type
   */
  public static HolePunchMessage decode(byte[] data) throws ProtocolViolationException {
    if (data.length > MAX_SIZE) {
      throw new ProtocolViolationException("DCUtR message of " + data.length + " bytes too large");
    }
    ProtoReader r = new ProtoReader(data);
    Type type = null;
    List<Multiaddr> addresses = new ArrayList<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> type = Type.fromCode(r.uint64());
        case 2 -> {
          byte[] b = r.bytes();
          if (addresses.size() < MAX_ADDRESSES) {
            try {
              addresses.add(Multiaddr.fromBytes(b));
            } catch (IllegalArgumentException e) {
              // an address we cannot parse: not one we could dial
            }
          }
        }
        default -> r.skip();
      }
    }
    if (type == null) {
      throw new ProtocolViolationException("DCUtR message without a type");
    }
    return new HolePunchMessage(type, addresses);
  }

  /** Writes this message, length-prefixed, and flushes. */
  public void write(OutputStream out) throws IOException {
    LengthPrefixed.write(out, encode());
  }

  /**
   * Reads one length-prefixed message.
   *
   * @return the message, or {@code null} if the stream ended cleanly before it
   */
  public static HolePunchMessage read(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, MAX_SIZE);
    return m == null ? null : decode(m);
  }
}
