package org.dure.store.blob;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a blob is: its file name, media type, size and the SHA-256 of each of its chunks. Its
 * encoding is canonical (one value, one encoding), so the SHA-256 of {@link #encode()} names the
 * blob: its {@link #root()}.
 *
 * <pre>
 * u8 version (1) | u8 name length | name (UTF-8) | u8 type length | media type (ASCII)
 *   | u64 size | u32 chunk count | chunk count × 32-byte SHA-256
 * </pre>
 *
 * The chunk count must be {@code ceil(size / CHUNK_SIZE)}; every chunk but the last has {@value
 * #CHUNK_SIZE} bytes.
 */
public record BlobManifest(String name, String mediaType, long size, List<BlobHash> chunks) {
  /** Bytes of every chunk but the last. */
  public static final int CHUNK_SIZE = 256 * 1024;

  /** The most chunks a blob may have (a little under 2 GiB), so a manifest stays under 256 KiB. */
  public static final int MAX_CHUNKS = 8000;

  /** The largest blob any configuration allows. */
  public static final long MAX_SIZE = (long) MAX_CHUNKS * CHUNK_SIZE;

  /** The most bytes of a name, in UTF-8. */
  public static final int MAX_NAME_BYTES = 255;

  /** The most bytes of a media type. */
  public static final int MAX_TYPE_BYTES = 127;

  /** The largest encoding of a manifest. */
  public static final int MAX_ENCODED =
      1 + 1 + MAX_NAME_BYTES + 1 + MAX_TYPE_BYTES + 8 + 4 + MAX_CHUNKS * BlobHash.BYTES;

  private static final int VERSION = 1;
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}");

  public BlobManifest {
    chunks = List.copyOf(chunks);
    String problem = problem(name, mediaType, size, chunks.size());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Chunks a blob of {@code size} bytes has. */
  public static int chunkCount(long size) {
    return (int) ((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
  }

  /** Bytes of chunk {@code index}. */
  public int chunkLength(int index) {
    if (index < 0 || index >= chunks.size()) {
      throw new IndexOutOfBoundsException("chunk " + index + " of " + chunks.size());
    }
    return index < chunks.size() - 1 ? CHUNK_SIZE : (int) (size - (long) index * CHUNK_SIZE);
  }

  /** Whether {@code mediaType} is one this store keeps: lower-case {@code type/subtype}. */
  public static boolean isMediaType(String mediaType) {
    return mediaType != null && MEDIA_TYPE.matcher(mediaType).matches();
  }

  /** Why these fields make no manifest, or null if they do. */
  static String problem(String name, String mediaType, long size, int chunkCount) {
    if (name == null || name.isEmpty()) {
      return "A blob needs a name";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "A blob's name has at most " + MAX_NAME_BYTES + " bytes";
    }
    boolean bad =
        name.codePoints()
            .anyMatch(
                c ->
                    Character.isISOControl(c)
                        || c == '/'
                        || c == '\\'
                        || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE));
    if (bad) {
      return "A blob's name may not hold control characters, slashes or lone surrogates";
    }
    if (!isMediaType(mediaType)) {
      return "Not a media type: " + mediaType;
    }
    if (size < 0 || size > MAX_SIZE) {
      return "A blob has 0 to " + MAX_SIZE + " bytes, not " + size;
    }
    if (chunkCount != chunkCount(size)) {
      return "A blob of " + size + " bytes has " + chunkCount(size) + " chunks, not " + chunkCount;
    }
    return null;
  }

  /** The canonical encoding. */
  public byte[] encode() {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] t = mediaType.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(1 + 1 + n.length + 1 + t.length + 8 + 4 + 32 * chunks.size());
    b.put((byte) VERSION).put((byte) n.length).put(n).put((byte) t.length).put(t);
    b.putLong(size).putInt(chunks.size());
    for (BlobHash h : chunks) {
      b.put(h.bytes());
    }
    return b.array();
  }

  /** The blob's root hash: the SHA-256 of {@link #encode()}. */
  public BlobHash root() {
    return BlobHash.of(encode());
  }

  /**
   * Reads a manifest; the input must be exactly one canonical encoding.
   *
   * @throws BlobFormatException if it is not
   */
  public static BlobManifest decode(byte[] bytes) throws BlobFormatException {
    if (bytes.length > MAX_ENCODED) {
      throw new BlobFormatException("A manifest has at most " + MAX_ENCODED + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      int version = b.get() & 0xff;
      if (version != VERSION) {
        throw new BlobFormatException("Unknown manifest version " + version);
      }
      String name = utf8(take(b, b.get() & 0xff));
      byte[] type = take(b, b.get() & 0xff);
      String mediaType = new String(type, StandardCharsets.US_ASCII);
      long size = b.getLong();
      long count = b.getInt() & 0xffffffffL;
      if (count > MAX_CHUNKS || count * BlobHash.BYTES != b.remaining()) {
        throw new BlobFormatException(
            "The manifest declares " + count + " chunks but holds " + b.remaining() + " bytes");
      }
      String problem = problem(name, mediaType, size, (int) count);
      if (problem != null) {
        throw new BlobFormatException(problem);
      }
      List<BlobHash> chunks = new ArrayList<>((int) count);
      for (int i = 0; i < count; i++) {
        chunks.add(BlobHash.ofBytes(take(b, BlobHash.BYTES)));
      }
      return new BlobManifest(name, mediaType, size, chunks);
    } catch (java.nio.BufferUnderflowException e) {
      throw new BlobFormatException("The manifest is cut short");
    }
  }

  private static byte[] take(ByteBuffer b, int n) {
    byte[] out = new byte[n]; // n < 256 or 32: bounded by the format
    b.get(out);
    return out;
  }

  private static String utf8(byte[] b) throws BlobFormatException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BlobFormatException("A manifest's name is not UTF-8");
    }
  }
}
