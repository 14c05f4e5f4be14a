package org.dure.net.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.UnsignedVarint;

/** Unsigned-varint length-prefixed messages on a stream. */
public final class LengthPrefixed {
  private LengthPrefixed() {}

  public static void write(OutputStream out, byte[] message) throws IOException {
    byte[] len = UnsignedVarint.encode(message.length);
    byte[] all = new byte[len.length + message.length];
    System.arraycopy(len, 0, all, 0, len.length);
    System.arraycopy(message, 0, all, len.length, message.length);
    out.write(all);
    out.flush();
  }

  /**
   * Reads one message of at most {@code max} bytes; {@code null} on a clean end of stream.
   *
   * @throws ProtocolViolationException if the declared length exceeds {@code max}
   */
  public static byte[] read(InputStream in, int max) throws IOException {
    long len = UnsignedVarint.read(in);
    if (len < 0) {
      return null;
    }
    if (len > max) {
      throw new ProtocolViolationException("message of " + len + " bytes exceeds " + max);
    }
    byte[] b = in.readNBytes((int) len);
    if (b.length != len) {
      throw new EOFException("truncated message");
    }
    return b;
  }
}
