package org.dure.net.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.protocol.LengthPrefixed;

/**
 * The circuit v2 {@code HopMessage}, sent unsigned-varint length-prefixed on a {@code hop} stream:
 *
 * <pre>
 * message HopMessage {
 *   enum Type { RESERVE = 0; CONNECT = 1; STATUS = 2; }
 *   required Type type = 1;
 *   optional Peer peer = 2;
 *   optional Reservation reservation = 3;
 *   optional Limit limit = 4;
 *   optional Status status = 5;
 * }
 * </pre>
 *
 * A message over {@link #MAX_SIZE} bytes is a protocol violation, refused before anything is
 * allocated for it.
 *
 * @param peer or {@code null}
 * @param reservation or {@code null}
 * @param limit or {@code null} (no limit)
 * @param status or {@code null}
 */
public record HopMessage(
    Type type, RelayPeer peer, Reservation reservation, RelayLimit limit, RelayStatus status) {
  /** Largest hop or stop message sent or accepted (go-libp2p and js-libp2p use 4 KiB). */
  public static final int MAX_SIZE = 4096;

  /** The message type. */
  public enum Type {
    RESERVE,
    CONNECT,
    STATUS
  }

  public HopMessage {
    if (type == null) {
      throw new IllegalArgumentException("type is required");
    }
  }

  public static HopMessage reserve() {
    return new HopMessage(Type.RESERVE, null, null, null, null);
  }

  public static HopMessage connect(RelayPeer target) {
    return new HopMessage(Type.CONNECT, target, null, null, null);
  }

  public static HopMessage status(RelayStatus status) {
    return new HopMessage(Type.STATUS, null, null, null, status);
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter().uint64(1, type.ordinal());
    if (peer != null) {
      w.bytes(2, peer.encode());
    }
    if (reservation != null) {
      w.bytes(3, reservation.encode());
    }
    if (limit != null) {
      w.bytes(4, limit.encode());
    }
    if (status != null) {
      w.uint64(5, status.code());
    }
    return w.toByteArray();
  }

  /**
   * Decodes one message body.
   *
   * @throws ProtocolViolationException if it is too large, malformed, lacks its type or has an
   *     unknown type or status
   */
  public static HopMessage decode(byte[] data) throws ProtocolViolationException {
    if (data.length > MAX_SIZE) {
      throw new ProtocolViolationException("hop message of " + data.length + " bytes too large");
    }
    ProtoReader r = new ProtoReader(data);
    Type type = null;
    RelayPeer peer = null;
    Reservation reservation = null;
    RelayLimit limit = null;
    RelayStatus status = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          long t = r.uint64();
          if (t < 0 || t >= Type.values().length) {
            throw new ProtocolViolationException("unknown hop message type " + t);
          }
          type = Type.values()[(int) t];
        }
        case 2 -> peer = RelayPeer.decode(r.bytes());
        case 3 -> reservation = Reservation.decode(r.bytes());
        case 4 -> limit = RelayLimit.decode(r.bytes());
        case 5 -> status = RelayStatus.fromCode(r.uint64());
        default -> r.skip();
      }
    }
    if (type == null) {
      throw new ProtocolViolationException("hop message without a type");
    }
    return new HopMessage(type, peer, reservation, limit, status);
  }

  /** Writes this message, length-prefixed, and flushes. */
  public void write(OutputStream out) throws IOException {
    LengthPrefixed.write(out, encode());
  }

  /**
   * Reads one length-prefixed message.
   *
   * @return the message, or {@code null} if the stream ended cleanly before it
   * @throws ProtocolViolationException if it declares more than {@link #MAX_SIZE} bytes or is
   *     malformed
   */
  public static HopMessage read(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, MAX_SIZE);
    return m == null ? null : decode(m);
  }

  /** An address from the wire, or {@code null} if we cannot parse it (a peer may know more). */
  static Multiaddr parseAddress(byte[] bytes) {
    try {
      return Multiaddr.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
