package org.dure.identity;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/** A node's identity: a JDK key pair (Ed25519, ECDSA or RSA) with its libp2p public key. */
public final class Identity {
  private final KeyPair keyPair;
  private final LibP2pPublicKey publicKey;
  private final PeerId peerId;

  public Identity(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.publicKey = LibP2pPublicKey.fromJava(keyPair.getPublic());
    this.peerId = PeerId.fromPublicKey(publicKey);
  }

  /** A fresh random Ed25519 identity that is kept nowhere (for tests and throw-away nodes). */
  public static Identity ephemeral() {
    return new Identity(generateEd25519());
  }

  /** A fresh random Ed25519 key pair. */
  public static KeyPair generateEd25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks Ed25519", e);
    }
  }

  public KeyPair keyPair() {
    return keyPair;
  }

  public LibP2pPublicKey publicKey() {
    return publicKey;
  }

  public PeerId peerId() {
    return peerId;
  }

  /** Signs with the identity key, using the libp2p algorithm for its type. */
  public byte[] sign(byte[] message) {
    try {
      String alg =
          switch (publicKey.type()) {
            case ED25519 -> "Ed25519";
            case ECDSA -> "SHA256withECDSA";
            case RSA -> "SHA256withRSA";
            case SECP256K1 -> throw new IllegalStateException("secp256k1 not supported");
          };
      Signature s = Signature.getInstance(alg);
      s.initSign(keyPair.getPrivate());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }
}
