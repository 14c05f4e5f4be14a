package org.dure.net.presence;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.dure.net.ProtocolViolationException;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;

/**
 * Bytes ↔ {@link PresenceMessage}. Spec ({@code docs/protocol/presence.md}): one message of exactly
 * 55 bytes on a stream, in a length-prefixed frame:
 *
 * <pre>
 * version (1) | space id (26, base32) | page id (26, base32) | state (1 here, 0 gone) | ttl seconds (1..120)
 * </pre>
 *
 * Any other length, version, state or ttl is a protocol error.
 */
public final class PresenceCodec {
  public static final String PROTOCOL = "/dure/presence/1.0.0";
  public static final int VERSION = 1;
  public static final int LENGTH = 55;
  public static final int MAX_TTL_SECONDS = 120;

  private static final int ID = 26;
  private static final Pattern ID_PATTERN = Pattern.compile("[a-z2-7]{26}");

  private PresenceCodec() {}

  public static byte[] encode(PresenceMessage m) {
    byte[] out = new byte[LENGTH];
    out[0] = VERSION;
    put(out, 1, m.space().value());
    put(out, 1 + ID, m.page().value());
    out[1 + 2 * ID] = (byte) (m.here() ? 1 : 0);
    out[2 + 2 * ID] = (byte) m.ttlSeconds();
    return out;
  }

  private static void put(byte[] out, int at, String id) {
    if (!ID_PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException("not an id: " + id);
    }
    System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, out, at, ID);
  }

  /**
   * Decodes one message.
   *
   * @throws ProtocolViolationException if it is not a well-formed message of this version
   */
  public static PresenceMessage decode(byte[] b) throws ProtocolViolationException {
    if (b.length != LENGTH) {
      throw new ProtocolViolationException("presence message of " + b.length + " bytes");
    }
    if (b[0] != VERSION) {
      throw new ProtocolViolationException("presence version " + (b[0] & 0xFF));
    }
    String space = id(b, 1);
    String page = id(b, 1 + ID);
    int state = b[1 + 2 * ID] & 0xFF;
    int ttl = b[2 + 2 * ID] & 0xFF;
    if (state > 1) {
      throw new ProtocolViolationException("presence state " + state);
    }
    if (ttl < 1 || ttl > MAX_TTL_SECONDS) {
      throw new ProtocolViolationException("presence ttl " + ttl);
    }
    return new PresenceMessage(new SpaceId(space), new PageId(page), state == 1, ttl);
  }

  private static String id(byte[] b, int at) throws ProtocolViolationException {
    String s = new String(b, at, ID, StandardCharsets.US_ASCII);
    if (!ID_PATTERN.matcher(s).matches()) {
      throw new ProtocolViolationException("malformed id in presence message");
    }
    return s;
  }
}
