package org.dure.net.noise;

import io.netty.buffer.ByteBuf;
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
   * Encrypts {@code length} bytes of {@code plaintext} from {@code index} (no associated data) into
   * {@code out} at {@code outOffset}, which must have room for them plus {@link #TAG_LENGTH};
   * returns the bytes written. Heap parts go to the JDK cipher as arrays: with a direct {@link
   * java.nio.ByteBuffer} or a heap buffer as output, the JDK's ChaCha20-Poly1305 copies the whole
   * message into a fresh array first. A composite (Yamux header + body) is encrypted part by part.
   */
  public int encrypt(ByteBuf plaintext, int index, int length, byte[] out, int outOffset) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
      int at = outOffset;
      if (plaintext.hasArray()) {
        at +=
            cipher.update(
                plaintext.array(), plaintext.arrayOffset() + index, length, out, outOffset);
      } else {
        for (ByteBuffer part : plaintext.nioBuffers(index, length)) {
          int n = part.remaining();
          if (part.hasArray()) {
            at += cipher.update(part.array(), part.arrayOffset() + part.position(), n, out, at);
          } else {
            // Copy into the output array, then encrypt there in place.
            part.get(out, at, n);
            at += cipher.update(out, at, n, out, at);
          }
        }
      }
      at += cipher.doFinal(out, at);
      return at - outOffset;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  /**
   * Decrypts {@code length} bytes of ciphertext and tag (no associated data) from {@code in} into
   * {@code out}; returns the plaintext length. Array to array, the JDK cipher neither buffers nor
   * copies the input.
   *
   * @throws ProtocolViolationException if the tag does not verify
   */
  public int decrypt(byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws ProtocolViolationException {
    if (length < TAG_LENGTH) {
      throw new ProtocolViolationException("noise ciphertext shorter than its tag");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
      return cipher.doFinal(in, inOffset, length, out, outOffset);
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
