package org.dure.net.multiaddr;

/**
 * Multiaddr protocols understood here, with their multicodec code and value size in bits ({@code
 * -1}: varint-length-prefixed, {@code 0}: no value).
 */
public enum Protocol {
  IP4(4, 32, "ip4"),
  TCP(6, 16, "tcp"),
  UDP(273, 16, "udp"),
  DNS(53, -1, "dns"),
  DNS4(54, -1, "dns4"),
  DNS6(55, -1, "dns6"),
  IP6(41, 128, "ip6"),
  P2P(421, -1, "p2p"),
  P2P_CIRCUIT(290, 0, "p2p-circuit"),
  QUIC_V1(461, 0, "quic-v1"),
  WS(477, 0, "ws"),
  TLS(448, 0, "tls");

  private final int code;
  private final int bits;
  private final String text;

  Protocol(int code, int bits, String text) {
    this.code = code;
    this.bits = bits;
    this.text = text;
  }

  public int code() {
    return code;
  }

  /** Value size in bits, -1 for variable length, 0 for none. */
  public int bits() {
    return bits;
  }

  public String text() {
    return text;
  }

  static Protocol byCode(long code) {
    for (Protocol p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    return null;
  }

  static Protocol byName(String name) {
    for (Protocol p : values()) {
      if (p.text.equals(name)) {
        return p;
      }
    }
    if (name.equals("ipfs")) {
      return P2P;
    }
    return null;
  }
}
