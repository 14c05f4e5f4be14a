package org.dure.store.doc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.automerge.ChangeHash;

/**
 * Change hashes as the store keeps them: a document's heads as 32-byte hashes one after the other,
 * and SHA-256, the checksum of stored bytes.
 */
public final class Heads {
  private Heads() {}

  /** One digest per thread: looking up the algorithm costs more than hashing a small change. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  /** The SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  /** {@code heads} as stored: their 32 bytes one after the other. */
  public static byte[] encode(ChangeHash[] heads) {
    ByteBuffer buf = ByteBuffer.allocate(heads.length * 32);
    for (ChangeHash h : heads) {
      buf.put(h.getBytes());
    }
    return buf.array();
  }

  /**
   * Heads as {@link #encode} stored them.
   *
   * @throws StoreException if the length is not a multiple of 32
   */
  public static ChangeHash[] decode(byte[] bytes) {
    if (bytes.length % 32 != 0) {
      throw new StoreException("Stored heads have a bad length " + bytes.length);
    }
    ChangeHash[] out = new ChangeHash[bytes.length / 32];
    for (int i = 0; i < out.length; i++) {
      out[i] = new StoredHash(Arrays.copyOfRange(bytes, i * 32, i * 32 + 32));
    }
    return out;
  }

  /** Stored heads as hex strings, one per hash. */
  public static List<String> hex(byte[] bytes) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 32 <= bytes.length; i += 32) {
      out.add(HexFormat.of().formatHex(bytes, i, i + 32));
    }
    return out;
  }

  /** A change hash read back from the database (ChangeHash's constructor is protected). */
  private static final class StoredHash extends ChangeHash {
    StoredHash(byte[] bytes) {
      super(bytes);
    }
  }
}
