package org.dure.net.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.protocol.LengthPrefixed;

/**
 * The circuit v2 {@code StopMessage}, sent unsigned-varint length-prefixed on a {@code stop}
 * stream:
 *
 * <pre>
 * message StopMessage {
 *   enum Type { CONNECT = 0; STATUS = 1; }
 *   required Type type = 1;
 *   optional Peer peer = 2;
 *   optional Limit limit = 3;
 *   optional Status status = 4;
 * }
 * </pre>
 *
 * Bounded like {@link HopMessage} ({@link HopMessage#MAX_SIZE}).
 *
 * @param peer or {@code null}
 * @param limit or {@code null} (no limit)
 * @param status or {@code null}
 */
public record StopMessage(Type type, RelayPeer peer, RelayLimit limit, RelayStatus status) {
  /** The message type. */
  public enum Type {
    CONNECT,
    STATUS
  }

  public StopMessage {
    if (type == null) {
      throw new IllegalArgumentException("type is required");
    }
  }

  public static StopMessage connect(RelayPeer source, RelayLimit limit) {
    return new StopMessage(Type.CONNECT, source, limit, null);
  }

  public static StopMessage status(RelayStatus status) {
    return new StopMessage(Type.STATUS, null, null, status);
  }

  public byte[] encode() {
    ProtoWriter w = new ProtoWriter().uint64(1, type.ordinal());
    if (peer != null) {
      w.bytes(2, peer.encode());
    }
    if (limit != null) {
      w.bytes(3, limit.encode());
    }
    if (status != null) {
      w.uint64(4, status.code());
    }
    return w.toByteArray();
  }

  /**
   * Decodes one message body.
   *
   * @throws ProtocolViolationException if it is too large, malformed, lacks its type or has an
   *     unknown type or status
   */
  public static StopMessage decode(byte[] data) throws ProtocolViolationException {
    if (data.length > HopMessage.MAX_SIZE) {
      throw new ProtocolViolationException("stop message of " + data.length + " bytes too large");
    }
    ProtoReader r = new ProtoReader(data);
    Type type = null;
    RelayPeer peer = null;
    RelayLimit limit = null;
    RelayStatus status = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          long t = r.uint64();
          if (t < 0 || t >= Type.values().length) {
            throw new ProtocolViolationException("unknown stop message type " + t);
          }
          type = Type.values()[(int) t];
        }
        case 2 -> peer = RelayPeer.decode(r.bytes());
        case 3 -> limit = RelayLimit.decode(r.bytes());
        case 4 -> status = RelayStatus.fromCode(r.uint64());
        default -> r.skip();
      }
    }
    if (type == null) {
      throw new ProtocolViolationException("stop message without a type");
    }
    return new StopMessage(type, peer, limit, status);
  }

  /** Writes this message, length-prefixed, and flushes. */
  public void write(OutputStream out) throws IOException {
    LengthPrefixed.write(out, encode());
  }

  /**
   * Reads one length-prefixed message; {@code null} if the stream ended cleanly before it.
   *
   * @throws ProtocolViolationException if it declares more than {@link HopMessage#MAX_SIZE} bytes
   *     or is malformed
   */
  public static StopMessage read(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, HopMessage.MAX_SIZE);
    return m == null ? null : decode(m);
  }
}
