package org.dure.net.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.ProtoReader;
import org.dure.net.base.ProtoWriter;

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
    return new ProtoWriter().uint64(1, type.code()).bytes(2, data).toByteArray();
  }

  /** Decodes the protobuf {@code PublicKey} message. */
  public static LibP2pPublicKey fromProtobuf(byte[] encoded) throws ProtocolViolationException {
    if (encoded.length > MAX_ENCODED) {
      throw new ProtocolViolationException("public key too large: " + encoded.length);
    }
    ProtoReader r = new ProtoReader(encoded);
    KeyType type = null;
    byte[] data = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> {
          type = KeyType.fromCode(r.uint64());
          if (type == null) {
            throw new ProtocolViolationException("unknown key type");
          }
        }
        case 2 -> data = r.bytes();
        default -> r.skip();
      }
    }
    if (type == null || data == null) {
      throw new ProtocolViolationException("public key lacks type or data");
    }
    if (type == KeyType.ED25519 && data.length != 32) {
      throw new ProtocolViolationException("Ed25519 public key must be 32 bytes");
    }
    return new LibP2pPublicKey(type, data);
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
