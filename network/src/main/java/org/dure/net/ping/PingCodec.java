package org.dure.net.ping;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;

/**
 * The ping payload on the wire: {@value #SIZE} random bytes, no header and no length ("The dialing
 * peer sends a 32-byte payload of random binary data on an open stream. The listening peer echoes
 * the same 32-byte payload back", libp2p ping spec).
 */
public final class PingCodec {
  /** Bytes in each payload. */
  public static final int SIZE = 32;

  private PingCodec() {}

  /** A fresh payload of {@value #SIZE} bytes from {@code random}. */
  public static byte[] newPayload(Random random) {
    byte[] payload = new byte[SIZE];
    random.nextBytes(payload);
    return payload;
  }

  /**
   * Writes one payload and flushes.
   *
   * @throws IllegalArgumentException if {@code payload} is not {@value #SIZE} bytes
   */
  public static void write(OutputStream out, byte[] payload) throws IOException {
    if (payload.length != SIZE) {
      throw new IllegalArgumentException(
          "a ping payload has " + SIZE + " bytes, not " + payload.length);
    }
    out.write(payload);
    out.flush();
  }

  /**
   * Reads one payload.
   *
   * @return the {@value #SIZE} bytes, or {@code null} if the stream ended before the first of them
   * @throws EOFException if the stream ends inside a payload
   */
  public static byte[] read(InputStream in) throws IOException {
    byte[] payload = new byte[SIZE];
    int n = in.readNBytes(payload, 0, SIZE);
    if (n == 0) {
      return null;
    }
    if (n < SIZE) {
      throw new EOFException("ping payload truncated after " + n + " of " + SIZE + " bytes");
    }
    return payload;
  }
}
