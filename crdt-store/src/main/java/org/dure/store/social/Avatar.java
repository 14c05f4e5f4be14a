package org.dure.store.social;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A profile picture as stored: a small PNG or JPEG image, at most {@link #MAX_BYTES} bytes and
 * {@value Avatars#MAX_SIDE}×{@value Avatars#MAX_SIDE} pixels (what {@link Avatars} makes of an
 * upload), its type checked against its first bytes and its size against what its header declares.
 * So a browser shown an avatar from a peer never decodes more than 128×128 pixels.
 */
public final class Avatar {
  /** The most bytes an avatar may have as stored and synced. */
  public static final int MAX_BYTES = 64 * 1024;

  public static final String PNG = "image/png";
  public static final String JPEG = "image/jpeg";

  private final String type;
  private final byte[] bytes;

  private Avatar(String type, byte[] bytes) {
    this.type = type;
    this.bytes = bytes;
  }

  /**
   * An avatar of these bytes, if they are a PNG or JPEG of at most {@link #MAX_BYTES} whose first
   * bytes match {@code type} and whose headers declare at most {@value Avatars#MAX_SIDE} pixels
   * each way; empty otherwise (for values read from a document a peer wrote).
   */
  public static Optional<Avatar> of(String type, byte[] bytes) {
    return problem(type, bytes) == null
        ? Optional.of(new Avatar(type, bytes.clone()))
        : Optional.empty();
  }

  /** Why these bytes are not an avatar of {@code type}, or null if they are one. */
  static String problem(String type, byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return "it is empty";
    }
    if (bytes.length > MAX_BYTES) {
      return "it has " + bytes.length + " bytes, more than " + MAX_BYTES;
    }
    Optional<String> sniffed = storedTypeOf(bytes);
    if (sniffed.isEmpty() || !sniffed.get().equals(type)) {
      return "it is not a " + type + " (by its first bytes)";
    }
    Optional<ImageHeaders.Size> size = ImageHeaders.of(bytes);
    if (size.isEmpty()) {
      return "its header declares no readable size";
    }
    if (!size.get().fitsIn(Avatars.MAX_SIDE)) {
      return "it declares "
          + size.get().width()
          + " × "
          + size.get().height()
          + " pixels, more than "
          + Avatars.MAX_SIDE
          + " × "
          + Avatars.MAX_SIDE;
    }
    return null;
  }

  /** The stored type (PNG or JPEG) these bytes start like, if either. */
  static Optional<String> storedTypeOf(byte[] b) {
    if (Avatars.isPng(b)) {
      return Optional.of(PNG);
    }
    if (Avatars.isJpeg(b)) {
      return Optional.of(JPEG);
    }
    return Optional.empty();
  }

  /** {@code image/png} or {@code image/jpeg}. */
  public String type() {
    return type;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  /** The image as a {@code data:} URL, for an {@code <img>}. */
  public String dataUrl() {
    return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Avatar a && type.equals(a.type) && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Avatar[" + type + ", " + bytes.length + " bytes]";
  }
}
