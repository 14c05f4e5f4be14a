package org.dure.net.blobs;

import java.nio.ByteBuffer;
import org.dure.net.ProtocolViolationException;
import org.dure.store.blob.BlobHash;
import org.dure.store.blob.BlobManifest;

/**
 * Bytes to {@link BlobFrame}s and back. Each frame travels as one unsigned-varint length-prefixed
 * message of at most {@link #MAX_FRAME} bytes (the length is checked before anything is allocated);
 * its first byte is its type, then the 32 bytes of the root hash:
 *
 * <pre>
 * 0x01 GET_MANIFEST | root
 * 0x02 GET_CHUNK    | root | u32 index
 * 0x11 MANIFEST     | root | manifest encoding (to the end, at most BlobManifest.MAX_ENCODED)
 * 0x12 CHUNK        | root | u32 index | data (to the end, 1 to CHUNK_SIZE bytes)
 * 0x1f REFUSED      | root | u32 index (0xffffffff: the manifest) | u8 reason (1 not here,
 *                                                                  2 not allowed, 3 busy)
 * </pre>
 *
 * Integers are big-endian; an index is below 2^31. A frame of an unknown type, a reason of an
 * unknown code or a frame with bytes left over is a protocol violation.
 */
public final class BlobFrameCodec {
  /** The protocol ID. */
  public static final String PROTOCOL = "/dure/blobs/1.0.0";

  /** The largest frame: a full chunk with its header. */
  public static final int MAX_FRAME = 1 + BlobHash.BYTES + 4 + BlobManifest.CHUNK_SIZE;

  static final int GET_MANIFEST = 0x01;
  static final int GET_CHUNK = 0x02;
  static final int MANIFEST = 0x11;
  static final int CHUNK = 0x12;
  static final int REFUSED = 0x1f;

  private BlobFrameCodec() {}

  /** The frame's bytes (without the length prefix). */
  public static byte[] encode(BlobFrame f) {
    byte[] root = f.root().bytes();
    ByteBuffer b =
        switch (f) {
          case BlobFrame.GetManifest g ->
              ByteBuffer.allocate(33).put((byte) GET_MANIFEST).put(root);
          case BlobFrame.GetChunk g ->
              ByteBuffer.allocate(37).put((byte) GET_CHUNK).put(root).putInt(g.index());
          case BlobFrame.Manifest m ->
              ByteBuffer.allocate(33 + m.encoded().length)
                  .put((byte) MANIFEST)
                  .put(root)
                  .put(m.encoded());
          case BlobFrame.Chunk c ->
              ByteBuffer.allocate(37 + c.data().length)
                  .put((byte) CHUNK)
                  .put(root)
                  .putInt(c.index())
                  .put(c.data());
          case BlobFrame.Refused r ->
              ByteBuffer.allocate(38)
                  .put((byte) REFUSED)
                  .put(root)
                  .putInt(r.index())
                  .put((byte) r.reason().code);
        };
    if (b.position() > MAX_FRAME) {
      throw new IllegalArgumentException("A blob frame has at most " + MAX_FRAME + " bytes");
    }
    return b.array();
  }

  /**
   * Reads one frame.
   *
   * @throws ProtocolViolationException if the bytes are not one valid frame
   */
  public static BlobFrame decode(byte[] bytes) throws ProtocolViolationException {
    if (bytes.length > MAX_FRAME) {
      throw new ProtocolViolationException("blob frame of " + bytes.length + " bytes");
    }
    if (bytes.length < 1 + BlobHash.BYTES) {
      throw new ProtocolViolationException("blob frame of " + bytes.length + " bytes is too short");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int type = b.get() & 0xff;
    byte[] r = new byte[BlobHash.BYTES];
    b.get(r);
    BlobHash root = BlobHash.ofBytes(r);
    return switch (type) {
      case GET_MANIFEST -> {
        end(b, 0);
        yield new BlobFrame.GetManifest(root);
      }
      case GET_CHUNK -> {
        end(b, 4);
        yield new BlobFrame.GetChunk(root, index(b));
      }
      case MANIFEST -> {
        if (b.remaining() < 1 || b.remaining() > BlobManifest.MAX_ENCODED) {
          throw new ProtocolViolationException("manifest of " + b.remaining() + " bytes");
        }
        byte[] m = new byte[b.remaining()];
        b.get(m);
        yield new BlobFrame.Manifest(root, m);
      }
      case CHUNK -> {
        if (b.remaining() < 4 + 1) {
          throw new ProtocolViolationException("empty chunk");
        }
        int index = index(b);
        byte[] data = new byte[b.remaining()]; // at most CHUNK_SIZE: MAX_FRAME was checked
        b.get(data);
        yield new BlobFrame.Chunk(root, index, data);
      }
      case REFUSED -> {
        end(b, 5);
        int index = b.getInt();
        if (index < BlobFrame.Refused.MANIFEST) {
          throw new ProtocolViolationException("chunk index " + Integer.toUnsignedString(index));
        }
        BlobFrame.Reason reason = BlobFrame.Reason.of(b.get() & 0xff);
        if (reason == null) {
          throw new ProtocolViolationException("unknown refusal reason");
        }
        yield new BlobFrame.Refused(root, index, reason);
      }
      default -> throw new ProtocolViolationException("unknown blob frame type " + type);
    };
  }

  private static int index(ByteBuffer b) throws ProtocolViolationException {
    int i = b.getInt();
    if (i < 0) {
      throw new ProtocolViolationException("chunk index " + Integer.toUnsignedString(i));
    }
    return i;
  }

  private static void end(ByteBuffer b, int remaining) throws ProtocolViolationException {
    if (b.remaining() != remaining) {
      throw new ProtocolViolationException(
          "blob frame with " + b.remaining() + " bytes where " + remaining + " belong");
    }
  }
}
