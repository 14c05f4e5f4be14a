package org.dure.store.format;

/**
 * One write a change makes under a guarded key, as the validator read it from the change's ops:
 * where ({@link FieldPath}), what kind of write, and for a string put, the string.
 *
 * <p>A path that {@link FieldPath} cut short (a write deeper than three map keys, or into a list or
 * text) is an {@link Op#INSIDE} write of that path; so is any write whose place is {@link
 * FieldPath#UNKNOWN}.
 *
 * @param path where the change writes
 * @param op what it does there
 * @param value for {@link Op#PUT} of a string of at most {@link #MAX_VALUE_CHARS} characters, the
 *     string; otherwise null (another type, or a longer string)
 */
public record FieldWrite(FieldPath path, Op op, String value) {

  /** Longest string kept as a write's {@link #value}; longer ones are recorded without it. */
  public static final int MAX_VALUE_CHARS = 256;

  /** What a write does at its path. */
  public enum Op {
    /** Sets a scalar (a string, number, boolean, null, bytes...) at the path. */
    PUT,
    /** Makes an object (a map, list or text) at the path, replacing what was there. */
    MAKE,
    /** Deletes the path (its key in its map). */
    DELETE,
    /** Increments a counter at the path. */
    INCREMENT,
    /** Writes somewhere inside the object at the path (a list, a text, or a deeper map). */
    INSIDE
  }

  public FieldWrite {
    if (path == null || op == null) {
      throw new IllegalArgumentException("a write has a path and an op");
    }
    if (value != null && op != Op.PUT) {
      throw new IllegalArgumentException("only a put has a value");
    }
  }

  /** A write somewhere inside {@code path} (or at an unknown place). */
  public static FieldWrite inside(FieldPath path) {
    return new FieldWrite(path, Op.INSIDE, null);
  }

  /** A string put at {@code path}. */
  public static FieldWrite put(FieldPath path, String value) {
    return new FieldWrite(path, Op.PUT, value);
  }

  @Override
  public String toString() {
    return switch (op) {
      case PUT -> value == null ? "sets " + path : "sets " + path + " to \"" + value + "\"";
      case MAKE -> "makes " + path;
      case DELETE -> "deletes " + path;
      case INCREMENT -> "increments " + path;
      case INSIDE -> "writes inside " + path;
    };
  }
}
