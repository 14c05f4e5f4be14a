package org.dure.store.doc;

import java.math.BigInteger;

/**
 * Text form of an Ed25519 libp2p peer ID, so history can name authors the way the network does.
 *
 * <p>Per libp2p peer-ids: the identity multihash (0x00, length) of the protobuf {@code PublicKey}
 * {Type = Ed25519 (1), Data = 32 bytes}, encoded base58btc.
 */
public final class PeerIds {
  private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private PeerIds() {}

  public static String ed25519PeerId(byte[] publicKey) {
    byte[] mh = new byte[2 + 4 + 32];
    mh[0] = 0x00; // identity multihash
    mh[1] = 36; // digest length
    mh[2] = 0x08; // field 1 (Type), varint
    mh[3] = 0x01; // Ed25519
    mh[4] = 0x12; // field 2 (Data), length-delimited
    mh[5] = 32;
    System.arraycopy(publicKey, 0, mh, 6, 32);
    return base58(mh);
  }

  static String base58(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, bytes);
    BigInteger base = BigInteger.valueOf(58);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(base);
      sb.append(B58.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  private static final java.util.regex.Pattern TEXT =
      java.util.regex.Pattern.compile("(12D3KooW|Qm)[1-9A-HJ-NP-Za-km-z]{38,50}");

  /**
   * Checks that {@code text} looks like a libp2p peer ID in base58btc ({@code 12D3KooW…} for
   * Ed25519 keys, {@code Qm…} for hashed keys); the network layer verifies it fully.
   */
  public static String check(String text) {
    if (text == null || !TEXT.matcher(text).matches()) {
      throw new IllegalArgumentException("Not a peer ID: " + text);
    }
    return text;
  }
}
