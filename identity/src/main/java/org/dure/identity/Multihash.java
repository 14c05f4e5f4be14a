package org.dure.identity;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A multihash: {@code <varint code><varint length><digest>}; identity and sha2-256 known. */
public record Multihash(int code, byte[] digest) {
  public static final int IDENTITY = 0x00;
  public static final int SHA2_256 = 0x12;

  /** Largest digest accepted when decoding. */
  public static final int MAX_DIGEST = 1024;

  public Multihash {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  public static Multihash identity(byte[] data) {
    return new Multihash(IDENTITY, data);
  }

  public static Multihash sha256(byte[] data) {
    try {
      return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(code, out);
    Varint.write(digest.length, out);
    out.writeBytes(digest);
    return out.toByteArray();
  }

  /**
   * Decodes a multihash that must span all of {@code bytes}.
   *
   * @throws InvalidPeerIdException on a bad varint, a length that does not match the input, a
   *     digest over {@link #MAX_DIGEST} bytes or a sha2-256 digest that is not 32 bytes
   */
  public static Multihash decode(byte[] bytes) throws InvalidPeerIdException {
    Varint.Decoded code;
    Varint.Decoded len;
    try {
      code = Varint.decode(bytes, 0);
      len = Varint.decode(bytes, code.length());
    } catch (IllegalArgumentException e) {
      throw new InvalidPeerIdException("multihash: " + e.getMessage());
    }
    int start = code.length() + len.length();
    if (len.value() > MAX_DIGEST || len.value() != bytes.length - start) {
      throw new InvalidPeerIdException("multihash length mismatch");
    }
    if (code.value() > Integer.MAX_VALUE) {
      throw new InvalidPeerIdException("multihash code too large");
    }
    if (code.value() == SHA2_256 && len.value() != 32) {
      throw new InvalidPeerIdException("sha2-256 multihash must have 32 bytes");
    }
    return new Multihash((int) code.value(), Arrays.copyOfRange(bytes, start, bytes.length));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
  }

  @Override
  public int hashCode() {
    return code * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "Multihash[" + code + "," + digest.length + " bytes]";
  }
}
