package org.dure.net.nat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * NAT-PMP packets (RFC 6886 §3), without I/O. All numbers are big-endian; version is 0.
 *
 * <pre>
 * external address request (§3.2):  vers=0 | op=0
 * external address response:        vers=0 | op=128 | result code (16) | epoch (32) | address (32)
 * mapping request (§3.3):            vers=0 | op=2 (TCP) | reserved (16) | internal port (16)
 *                                    | suggested external port (16) | lifetime seconds (32)
 * mapping response:                  vers=0 | op=130 | result code (16) | epoch (32)
 *                                    | internal port (16) | mapped external port (16) | lifetime (32)
 * </pre>
 *
 * A mapping request with lifetime 0 and external port 0 deletes the mapping (§3.4).
 */
final class NatPmpCodec {
  static final int VERSION = 0;
  static final int OP_EXTERNAL_ADDRESS = 0;
  static final int OP_MAP_TCP = 2;
  static final int EXTERNAL_ADDRESS_RESPONSE_LENGTH = 12;
  static final int MAP_RESPONSE_LENGTH = 16;

  /** A decoded mapping response. */
  record MapResponse(int internalPort, int externalPort, long lifetimeSeconds) {}

  private NatPmpCodec() {}

  static byte[] externalAddressRequest() {
    return new byte[] {VERSION, OP_EXTERNAL_ADDRESS};
  }

  static byte[] mapRequest(int internalPort, int suggestedExternalPort, long lifetimeSeconds) {
    if (internalPort < 1 || internalPort > 65535) {
      throw new IllegalArgumentException("internal port out of range: " + internalPort);
    }
    if (suggestedExternalPort < 0 || suggestedExternalPort > 65535) {
      throw new IllegalArgumentException("external port out of range");
    }
    if (lifetimeSeconds < 0 || lifetimeSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lifetime out of range");
    }
    return ByteBuffer.allocate(12)
        .put((byte) VERSION)
        .put((byte) OP_MAP_TCP)
        .putShort((short) 0)
        .putShort((short) internalPort)
        .putShort((short) suggestedExternalPort)
        .putInt((int) lifetimeSeconds)
        .array();
  }

  /**
   * Whether {@code packet} is a response to a request with opcode {@code op} ("the opcode in the
   * response is 128 plus the opcode in the request"); other packets are not for us and are skipped.
   */
  static boolean answers(byte[] packet, int length, int op) {
    return length >= 2 && packet[0] == VERSION && (packet[1] & 0xFF) == 128 + op;
  }

  /**
   * The external address in a response to {@link #externalAddressRequest()}.
   *
   * @throws PortMappingException for a short packet or a result code other than 0
   */
  static InetAddress decodeExternalAddress(byte[] packet, int length) throws PortMappingException {
    ByteBuffer b = check(packet, length, OP_EXTERNAL_ADDRESS, EXTERNAL_ADDRESS_RESPONSE_LENGTH);
    b.getInt(); // seconds since start of epoch
    byte[] ip = new byte[4];
    b.get(ip);
    try {
      return Inet4Address.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new PortMappingException("NAT-PMP: bad address", e);
    }
  }

  /**
   * A response to {@link #mapRequest}.
   *
   * @throws PortMappingException for a short packet, a result code other than 0, or a port out of
   *     range in a non-deletion answer
   */
  static MapResponse decodeMap(byte[] packet, int length, boolean deletion)
      throws PortMappingException {
    ByteBuffer b = check(packet, length, OP_MAP_TCP, MAP_RESPONSE_LENGTH);
    b.getInt(); // epoch
    int internal = Short.toUnsignedInt(b.getShort());
    int external = Short.toUnsignedInt(b.getShort());
    long lifetime = Integer.toUnsignedLong(b.getInt());
    if (!deletion && (internal == 0 || external == 0 || lifetime == 0)) {
      throw new PortMappingException(
          "NAT-PMP: mapping answer without a port or lifetime ("
              + external
              + ", "
              + lifetime
              + ")");
    }
    return new MapResponse(internal, external, lifetime);
  }

  private static ByteBuffer check(byte[] packet, int length, int op, int expected)
      throws PortMappingException {
    if (!answers(packet, length, op)) {
      throw new PortMappingException("NAT-PMP: not an answer to opcode " + op);
    }
    if (length < 4) {
      throw new PortMappingException("NAT-PMP: answer of " + length + " bytes is truncated");
    }
    ByteBuffer b = ByteBuffer.wrap(packet, 0, length);
    b.position(2);
    int result = Short.toUnsignedInt(b.getShort());
    if (result != 0) {
      throw new PortMappingException(
          "NAT-PMP: the router refused: " + resultText(result) + " (result code " + result + ")",
          result);
    }
    if (length < expected) {
      throw new PortMappingException(
          "NAT-PMP: answer of " + length + " bytes is truncated (" + expected + " expected)");
    }
    return b;
  }

  /** RFC 6886 §3.5 result codes. */
  static String resultText(int code) {
    return switch (code) {
      case 1 -> "unsupported version";
      case 2 -> "not authorized (port mapping is turned off on the router)";
      case 3 -> "network failure (the router has no external address)";
      case 4 -> "out of resources";
      case 5 -> "unsupported opcode";
      default -> "unknown result";
    };
  }
}
