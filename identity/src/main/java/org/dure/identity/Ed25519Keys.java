package org.dure.identity;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;

/** Ed25519 key pairs from a 32-byte RFC 8032 seed (the JDK derives the public key). */
public final class Ed25519Keys {
  private Ed25519Keys() {}

  public static KeyPair fromSeed(byte[] seed) {
    if (seed.length != 32) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes");
    }
    SecureRandom fixed =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(bytes.length, seed.length));
          }
        };
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(NamedParameterSpec.ED25519, fixed);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
