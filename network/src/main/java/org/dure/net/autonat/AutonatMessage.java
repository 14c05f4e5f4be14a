package org.dure.net.autonat;

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
 * A message on a {@code /libp2p/autonat/2/dial-request} stream, unsigned-varint length-prefixed:
 *
 * <pre>
 * message Message {
 *   oneof msg {
 *     DialRequest dialRequest = 1;          // repeated bytes addrs = 1; fixed64 nonce = 2;
 *     DialResponse dialResponse = 2;        // ResponseStatus status = 1; uint32 addrIdx = 2;
 *                                           // DialStatus dialStatus = 3;
 *     DialDataRequest dialDataRequest = 3;  // uint32 addrIdx = 1; uint64 numBytes = 2;
 *     DialDataResponse dialDataResponse = 4; // bytes data = 1;
 *   }
 * }
 * </pre>
 *
 * A message over {@link #MAX_SIZE} bytes is a protocol violation, refused before it is read;
 * "Implementations MUST discard responses with status codes they do not understand": an unknown
 * status decodes as a violation too.
 */
public sealed interface AutonatMessage {
  /** Largest message sent or accepted (js-libp2p and go-libp2p use 8 KiB). */
  int MAX_SIZE = 8192;

  /** Most addresses kept from one request. */
  int MAX_ADDRESSES = 16;

  /** Largest {@code data} field of one {@link DialDataResponse} (spec: 4096). */
  int MAX_DATA_CHUNK = 4096;

  /** The outcome of the dial back to the selected address. */
  enum DialStatus {
    UNUSED(0),
    E_DIAL_ERROR(100),
    E_DIAL_BACK_ERROR(101),
    OK(200);

    final int code;

    DialStatus(int code) {
      this.code = code;
    }

    static DialStatus fromCode(long code) throws ProtocolViolationException {
      for (DialStatus s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      throw new ProtocolViolationException("unknown AutoNAT dial status " + code);
    }
  }

  /** Whether the server served the request. */
  enum ResponseStatus {
    E_INTERNAL_ERROR(0),
    E_REQUEST_REJECTED(100),
    E_DIAL_REFUSED(101),
    OK(200);

    final int code;

    ResponseStatus(int code) {
      this.code = code;
    }

    static ResponseStatus fromCode(long code) throws ProtocolViolationException {
      for (ResponseStatus s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      throw new ProtocolViolationException("unknown AutoNAT response status " + code);
    }
  }

  /** The client asks: dial the first of these you are willing to, and tell me {@code nonce}. */
  record DialRequest(List<Multiaddr> addresses, long nonce) implements AutonatMessage {
    public DialRequest {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * The server answers.
   *
   * @param index the address it dialled (meaningless unless {@code status} is OK)
   */
  record DialResponse(ResponseStatus status, int index, DialStatus dialStatus)
      implements AutonatMessage {}

  /** The server asks for {@code bytes} bytes before dialling another IP than the client's. */
  record DialDataRequest(int index, long bytes) implements AutonatMessage {}

  /** Some of the bytes asked for. */
  record DialDataResponse(byte[] data) implements AutonatMessage {
    public DialDataResponse {
      if (data.length > MAX_DATA_CHUNK) {
        throw new IllegalArgumentException("at most " + MAX_DATA_CHUNK + " bytes per message");
      }
    }
  }

  default byte[] encode() {
    ProtoWriter inner = new ProtoWriter();
    int field;
    switch (this) {
      case DialRequest r -> {
        for (Multiaddr a : r.addresses()) {
          inner.bytes(1, a.toBytes());
        }
        inner.fixed64(2, r.nonce());
        field = 1;
      }
      case DialResponse r -> {
        inner.uint64(1, r.status().code).uint64(2, r.index()).uint64(3, r.dialStatus().code);
        field = 2;
      }
      case DialDataRequest r -> {
        inner.uint64(1, r.index()).uint64(2, r.bytes());
        field = 3;
      }
      case DialDataResponse r -> {
        inner.bytes(1, r.data());
        field = 4;
      }
    }
    return new ProtoWriter().bytes(field, inner.toByteArray()).toByteArray();
  }

  /** Writes this message, length-prefixed, and flushes. */
  default void write(OutputStream out) throws IOException {
    LengthPrefixed.write(out, encode());
  }

  /**
   * Reads one length-prefixed message.
   *
   * @return the message, or {@code null} if the stream ended cleanly before it
   */
  static AutonatMessage read(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, MAX_SIZE);
    return m == null ? null : decode(m);
  }

  /**
   * Decodes one message body.
   *
   * @throws ProtocolViolationException if it is too large, malformed, has no known field set, or
   *     carries a status this node does not understand
   */
  static AutonatMessage decode(byte[] data) throws ProtocolViolationException {
    if (data.length > MAX_SIZE) {
      throw new ProtocolViolationException("AutoNAT message of " + data.length + " bytes");
    }
    ProtoReader r = new ProtoReader(data);
    AutonatMessage out = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> out = decodeRequest(r.bytes());
        case 2 -> out = decodeResponse(r.bytes());
        case 3 -> out = decodeDataRequest(r.bytes());
        case 4 -> out = decodeDataResponse(r.bytes());
        default -> r.skip();
      }
    }
    if (out == null) {
      throw new ProtocolViolationException("AutoNAT message with no known content");
    }
    return out;
  }

  private static DialRequest decodeRequest(byte[] b) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(b);
    List<Multiaddr> addrs = new ArrayList<>();
    long nonce = 0;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          byte[] a = r.bytes();
          if (addrs.size() < MAX_ADDRESSES) {
            try {
              addrs.add(Multiaddr.fromBytes(a));
            } catch (IllegalArgumentException e) {
              // An address this node cannot parse is one it will not dial; keep its place so
              // that indexes still match the client's list.
              addrs.add(null);
            }
          }
        }
        case 2 -> nonce = r.fixed64();
        default -> r.skip();
      }
    }
    return new DialRequest(unparsedAsEmpty(addrs), nonce);
  }

  private static List<Multiaddr> unparsedAsEmpty(List<Multiaddr> addrs) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addrs) {
      out.add(a == null ? Multiaddr.parse("/p2p-circuit") : a);
    }
    return out;
  }

  private static DialResponse decodeResponse(byte[] b) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(b);
    ResponseStatus status = ResponseStatus.E_INTERNAL_ERROR;
    long index = 0;
    DialStatus dial = DialStatus.UNUSED;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> status = ResponseStatus.fromCode(r.uint64());
        case 2 -> index = r.uint64();
        case 3 -> dial = DialStatus.fromCode(r.uint64());
        default -> r.skip();
      }
    }
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw new ProtocolViolationException("AutoNAT address index " + index);
    }
    return new DialResponse(status, (int) index, dial);
  }

  private static DialDataRequest decodeDataRequest(byte[] b) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(b);
    long index = 0;
    long bytes = 0;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> index = r.uint64();
        case 2 -> bytes = r.uint64();
        default -> r.skip();
      }
    }
    if (index < 0 || index > Integer.MAX_VALUE || bytes < 0) {
      throw new ProtocolViolationException("AutoNAT dial data request out of range");
    }
    return new DialDataRequest((int) index, bytes);
  }

  private static DialDataResponse decodeDataResponse(byte[] b) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(b);
    byte[] data = new byte[0];
    while (r.next()) {
      if (r.field() == 1) {
        data = r.bytes();
      } else {
        r.skip();
      }
    }
    if (data.length > MAX_DATA_CHUNK) {
      throw new ProtocolViolationException("AutoNAT dial data chunk of " + data.length + " bytes");
    }
    return new DialDataResponse(data);
  }
}
