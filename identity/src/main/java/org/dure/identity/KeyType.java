package org.dure.identity;

/** The libp2p {@code KeyType} protobuf enum. */
public enum KeyType {
  RSA(0),
  ED25519(1),
  SECP256K1(2),
  ECDSA(3);

  private final int code;

  KeyType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Returns the key type for a wire code, or {@code null} if unknown. */
  public static KeyType fromCode(long code) {
    for (KeyType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
