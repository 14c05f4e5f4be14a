package org.dure.net.multistream;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.UnsignedVarint;

/**
 * multistream-select 1.0 messages: {@code <uvarint length><UTF-8 text>\n}, where the length counts
 * the newline.
 */
public final class MultistreamCodec {
  public static final String PROTOCOL_ID = "/multistream/1.0.0";
  public static final String NA = "na";

  /** Longest message accepted (the text plus newline). */
  public static final int MAX_MESSAGE = 1024;

  private MultistreamCodec() {}

  public static byte[] encode(String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    if (text.length + 1 > MAX_MESSAGE || message.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("invalid multistream message");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + 3);
    UnsignedVarint.write(text.length + 1L, out);
    out.writeBytes(text);
    out.write('\n');
    return out.toByteArray();
  }

  /** Encodes several messages back to back (pipelining). */
  public static byte[] encode(String... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String m : messages) {
      out.writeBytes(encode(m));
    }
    return out.toByteArray();
  }

  /**
   * Decodes one message from {@code in}, consuming it.
   *
   * @return the text without newline, or {@code null} if more bytes are needed (nothing consumed)
   */
  public static String decode(ByteBuf in) throws ProtocolViolationException {
    long len = UnsignedVarint.peek(in);
    if (len < 0) {
      return null;
    }
    check(len);
    int header = UnsignedVarint.size(len);
    if (in.readableBytes() < header + len) {
      return null;
    }
    in.skipBytes(header);
    byte[] body = new byte[(int) len];
    in.readBytes(body);
    return text(body);
  }

  /** Reads one message; {@code null} on a clean end of stream before it. */
  public static String read(InputStream in) throws IOException {
    long len = UnsignedVarint.read(in);
    if (len < 0) {
      return null;
    }
    check(len);
    byte[] body = in.readNBytes((int) len);
    if (body.length != len) {
      throw new EOFException("truncated multistream message");
    }
    return text(body);
  }

  private static void check(long len) throws ProtocolViolationException {
    if (len < 1 || len > MAX_MESSAGE) {
      throw new ProtocolViolationException("multistream message length " + len + " out of range");
    }
  }

  private static String text(byte[] body) throws ProtocolViolationException {
    if (body[body.length - 1] != '\n') {
      throw new ProtocolViolationException("multistream message lacks trailing newline");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body, 0, body.length - 1))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolViolationException("multistream message is not UTF-8");
    }
  }
}
