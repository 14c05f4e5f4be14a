package org.dure.net.autonat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;
import org.dure.net.protocol.LengthPrefixed;

/**
 * The server's message on a {@code /libp2p/autonat/2/dial-back} stream, {@code message DialBack {
 * fixed64 nonce = 1; }}, answered by the client with {@code DialBackResponse { DialBackStatus
 * status = 1; }} where {@code OK = 0} is the only status ({@link #ok()}).
 */
public record DialBack(long nonce) {
  /** Largest dial-back message accepted (it is 9 bytes). */
  public static final int MAX_SIZE = 64;

  public byte[] encode() {
    return new ProtoWriter().fixed64(1, nonce).toByteArray();
  }

  public static DialBack decode(byte[] data) throws ProtocolViolationException {
    ProtoReader r = new ProtoReader(data);
    long nonce = 0;
    while (r.next()) {
      if (r.field() == 1) {
        nonce = r.fixed64();
      } else {
        r.skip();
      }
    }
    return new DialBack(nonce);
  }

  public void write(OutputStream out) throws IOException {
    LengthPrefixed.write(out, encode());
  }

  /** Reads one, or {@code null} at a clean end of stream. */
  public static DialBack read(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, MAX_SIZE);
    return m == null ? null : decode(m);
  }

  /** The encoded {@code DialBackResponse} with status OK (proto3: the default, so empty). */
  public static byte[] ok() {
    return new byte[0];
  }

  /**
   * Reads the client's {@code DialBackResponse} and checks it says OK.
   *
   * @throws ProtocolViolationException for another status or a malformed message
   */
  public static void readResponse(InputStream in) throws IOException {
    byte[] m = LengthPrefixed.read(in, MAX_SIZE);
    if (m == null) {
      throw new java.io.EOFException("no dial-back response");
    }
    ProtoReader r = new ProtoReader(m);
    while (r.next()) {
      if (r.field() == 1) {
        long status = r.uint64();
        if (status != 0) {
          throw new ProtocolViolationException("dial-back response status " + status);
        }
      } else {
        r.skip();
      }
    }
  }
}
