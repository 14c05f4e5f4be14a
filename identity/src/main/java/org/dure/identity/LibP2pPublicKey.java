package org.dure.identity;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A libp2p public key: the {@code PublicKey} protobuf message {@code {KeyType Type = 1; bytes Data
 * = 2;}}. Ed25519 data is the raw 32-byte key; RSA and ECDSA data is a DER SubjectPublicKeyInfo.
 * Secp256k1 keys are parsed but cannot be verified (the JDK lacks the curve).
 */
public record LibP2pPublicKey(KeyType type, byte[] data) {
  /** Largest encoded public key accepted (RSA-4096 SPKI is about 550 bytes). */
  public static final int MAX_ENCODED = 2048;

  static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  public LibP2pPublicKey {
    data = data.clone();
    if (type == KeyType.ED25519 && data.length != 32) {
      throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
    }
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The deterministic protobuf encoding (field 1 then field 2), as peer IDs require. */
  public byte[] toProtobuf() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4 + data.length);
    out.write(1 << 3); // field 1 (Type), varint
    Varint.write(type.code(), out);
    out.write((2 << 3) | 2); // field 2 (Data), length-delimited
    Varint.write(data.length, out);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /**
   * Decodes the protobuf {@code PublicKey} message.
   *
   * @throws InvalidPublicKeyException if it is over {@link #MAX_ENCODED} bytes, malformed, of an
   *     unknown type, lacks a field or holds an Ed25519 key that is not 32 bytes
   */
  public static LibP2pPublicKey fromProtobuf(byte[] encoded) throws InvalidPublicKeyException {
    if (encoded.length > MAX_ENCODED) {
      throw new InvalidPublicKeyException("public key too large: " + encoded.length);
    }
    KeyType type = null;
    byte[] data = null;
    int[] pos = {0};
    while (pos[0] < encoded.length) {
      long tag = protoVarint(encoded, pos);
      if (tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
        throw new InvalidPublicKeyException("invalid protobuf tag " + tag);
      }
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (field == 1 && wireType == 0) {
        type = KeyType.fromCode(protoVarint(encoded, pos));
        if (type == null) {
          throw new InvalidPublicKeyException("unknown key type");
        }
      } else if (field == 1 || field == 2 && wireType != 2) {
        throw new InvalidPublicKeyException("field " + field + " has wire type " + wireType);
      } else {
        switch (wireType) {
          case 0 -> protoVarint(encoded, pos);
          case 1 -> advance(encoded, pos, 8);
          case 5 -> advance(encoded, pos, 4);
          case 2 -> {
            long len = protoVarint(encoded, pos);
            int from = pos[0];
            advance(encoded, pos, len);
            if (field == 2) {
              data = Arrays.copyOfRange(encoded, from, pos[0]);
            }
          }
          default -> throw new InvalidPublicKeyException("unsupported wire type " + wireType);
        }
      }
    }
    if (type == null || data == null) {
      throw new InvalidPublicKeyException("public key lacks type or data");
    }
    if (type == KeyType.ED25519 && data.length != 32) {
      throw new InvalidPublicKeyException("Ed25519 public key must be 32 bytes");
    }
    return new LibP2pPublicKey(type, data);
  }

  /** A protobuf varint (up to 10 bytes) at {@code pos[0]}, which it advances. */
  private static long protoVarint(byte[] in, int[] pos) throws InvalidPublicKeyException {
    long value = 0;
    for (int i = 0; i < 10; i++) {
      if (pos[0] >= in.length) {
        throw new InvalidPublicKeyException("truncated protobuf varint");
      }
      int b = in[pos[0]++] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new InvalidPublicKeyException("protobuf varint too long");
  }

  private static void advance(byte[] in, int[] pos, long n) throws InvalidPublicKeyException {
    if (n < 0 || n > in.length - pos[0]) {
      throw new InvalidPublicKeyException("protobuf length " + n + " exceeds input");
    }
    pos[0] += (int) n;
  }

  /** Wraps a JDK Ed25519 public key. */
  public static LibP2pPublicKey fromJava(PublicKey key) {
    String alg = key.getAlgorithm();
    if (alg.equals("Ed25519") || alg.equals("EdDSA")) {
      byte[] x509 = key.getEncoded();
      if (x509.length != 44
          || !Arrays.equals(x509, 0, 12, ED25519_X509_PREFIX, 0, ED25519_X509_PREFIX.length)) {
        throw new IllegalArgumentException("unexpected Ed25519 key encoding");
      }
      return new LibP2pPublicKey(KeyType.ED25519, Arrays.copyOfRange(x509, 12, 44));
    }
    if (alg.equals("EC")) {
      return new LibP2pPublicKey(KeyType.ECDSA, key.getEncoded());
    }
    if (alg.equals("RSA")) {
      return new LibP2pPublicKey(KeyType.RSA, key.getEncoded());
    }
    throw new IllegalArgumentException("unsupported key algorithm " + alg);
  }

  /** Verifies a signature made with the matching private key; false on any failure. */
  public boolean verify(byte[] message, byte[] signature) {
    try {
      Signature sig;
      PublicKey pk;
      switch (type) {
        case ED25519 -> {
          byte[] x509 = new byte[44];
          System.arraycopy(ED25519_X509_PREFIX, 0, x509, 0, 12);
          System.arraycopy(data, 0, x509, 12, 32);
          pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
          sig = Signature.getInstance("Ed25519");
        }
        case ECDSA -> {
          pk = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(data));
          sig = Signature.getInstance("SHA256withECDSA");
        }
        case RSA -> {
          pk = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(data));
          sig = Signature.getInstance("SHA256withRSA");
        }
        default -> {
          return false;
        }
      }
      sig.initVerify(pk);
      sig.update(message);
      return sig.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LibP2pPublicKey k && k.type == type && Arrays.equals(k.data, data);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "LibP2pPublicKey[" + type + "]";
  }
}
