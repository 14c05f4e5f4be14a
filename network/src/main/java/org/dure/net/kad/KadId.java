package org.dure.net.kad;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.dure.identity.PeerId;

/**
 * A point in the DHT's 256-bit key space: the SHA-256 of a key's bytes (for a peer, of its peer ID
 * multihash; for a provider record, of the content multihash), per the kad-dht spec. Distance is
 * XOR, compared as an unsigned big-endian number.
 */
public final class KadId implements Comparable<KadId> {
  public static final int BITS = 256;

  private final byte[] bytes;

  private KadId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The point of a key: SHA-256 of its bytes. */
  public static KadId of(byte[] key) {
    try {
      return new KadId(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The point of a peer: SHA-256 of its peer ID multihash. */
  public static KadId of(PeerId peer) {
    return of(peer.toBytes());
  }

  /** A point given by its 32 bytes directly (tests, random refresh targets). */
  public static KadId fromRaw(byte[] raw) {
    if (raw.length != BITS / 8) {
      throw new IllegalArgumentException("a kad id has 32 bytes");
    }
    return new KadId(raw.clone());
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The XOR distance to {@code other}, as 32 bytes. */
  public byte[] distance(KadId other) {
    byte[] d = new byte[bytes.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (bytes[i] ^ other.bytes[i]);
    }
    return d;
  }

  /**
   * Compares the distances of {@code a} and {@code b} to this point: negative if {@code a} is
   * closer.
   */
  public int compareDistance(KadId a, KadId b) {
    for (int i = 0; i < bytes.length; i++) {
      int da = (a.bytes[i] ^ bytes[i]) & 0xFF;
      int db = (b.bytes[i] ^ bytes[i]) & 0xFF;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  /** The number of leading bits shared with {@code other} (256 for the same point). */
  public int commonPrefixLength(KadId other) {
    for (int i = 0; i < bytes.length; i++) {
      int x = (bytes[i] ^ other.bytes[i]) & 0xFF;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return BITS;
  }

  @Override
  public int compareTo(KadId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadId k && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes, 0, 6) + "…";
  }
}
