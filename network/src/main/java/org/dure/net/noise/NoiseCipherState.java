package org.dure.net.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dure.net.ProtocolViolationException;

/**
 * A Noise CipherState for ChaChaPoly: key {@code k}, 64-bit nonce {@code n} (encoded as 32 zero
 * bits then little-endian n). Not thread-safe; used on one event loop.
 */
public final class NoiseCipherState {
  public static final int TAG_LENGTH = 16;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private long nonce;

  public NoiseCipherState(byte[] key) {
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks ChaCha20-Poly1305", e);
    }
  }

  private IvParameterSpec nextNonce() {
    if (nonce == -1L) {
      throw new IllegalStateException("noise nonce exhausted");
    }
    byte[] iv = new byte[12];
    long n = nonce++;
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    return new IvParameterSpec(iv);
  }

  public byte[] encrypt(byte[] ad, byte[] plaintext, int offset, int length) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      return cipher.doFinal(plaintext, offset, length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  /**
   * Encrypts {@code plaintext}'s remaining bytes (no associated data) into {@code out}, which must
   * have room for them plus {@link #TAG_LENGTH}; returns the bytes written. Avoids the copies of
   * the array form on the data path.
   */
  public int encrypt(ByteBuffer plaintext, ByteBuffer out) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      return cipher.doFinal(plaintext, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  /**
   * Decrypts {@code ciphertext}'s remaining bytes (no associated data) into {@code out}; returns
   * the plaintext length.
   *
   * @throws ProtocolViolationException if the tag does not verify
   */
  public int decrypt(ByteBuffer ciphertext, ByteBuffer out) throws ProtocolViolationException {
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new ProtocolViolationException("noise ciphertext shorter than its tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      return cipher.doFinal(ciphertext, out);
    } catch (AEADBadTagException e) {
      throw new ProtocolViolationException("noise decryption failed (bad tag)");
    } catch (GeneralSecurityException e) {
      throw new ProtocolViolationException("noise decryption failed", e);
    }
  }

  public byte[] decrypt(byte[] ad, byte[] ciphertext, int offset, int length)
      throws ProtocolViolationException {
    if (length < TAG_LENGTH) {
      throw new ProtocolViolationException("noise ciphertext shorter than its tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      if (ad.length > 0) {
        cipher.updateAAD(ad);
      }
      return cipher.doFinal(ciphertext, offset, length);
    } catch (AEADBadTagException e) {
      throw new ProtocolViolationException("noise decryption failed (bad tag)");
    } catch (GeneralSecurityException e) {
      throw new ProtocolViolationException("noise decryption failed", e);
    }
  }
}
