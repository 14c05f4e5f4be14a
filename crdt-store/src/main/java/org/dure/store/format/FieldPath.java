package org.dure.store.format;

/**
 * Where in a document a change writes: the map keys from the root down to the value it sets,
 * increments or deletes, kept to three levels ({@code key}, {@code entry}, {@code field}), e.g.
 * {@code hidden / <page id> / reason}. A write into an object deeper down, or into a list or text,
 * is reported at the path of the nearest of those three levels above it; a write of the key itself
 * (setting, replacing or deleting {@code ROOT[key]}) has only {@code key}, and a write that
 * replaces or deletes a whole entry has {@code key} and {@code entry}. So a shorter path covers
 * everything below it.
 *
 * <p>{@link #UNKNOWN} (all null) is a write into an object the validator does not know, made by a
 * change it has not seen: its place cannot be told.
 *
 * @param key the document's top-level key, or null if unknown
 * @param entry the key within {@code ROOT[key]}, or null
 * @param field the key within that entry, or null
 */
public record FieldPath(String key, String entry, String field) {

  /** A write whose place is not known. */
  public static final FieldPath UNKNOWN = new FieldPath(null, null, null);

  /** A write of the top-level key {@code key} itself. */
  public static FieldPath of(String key) {
    return new FieldPath(key, null, null);
  }

  public FieldPath {
    if ((key == null && entry != null) || (entry == null && field != null)) {
      throw new IllegalArgumentException("a path has no gaps");
    }
  }

  public boolean isUnknown() {
    return key == null;
  }

  /** The path of map key {@code k} inside the object at this path (this path at depth 3). */
  FieldPath child(String k) {
    if (key == null || field != null) {
      return this;
    }
    return entry == null ? new FieldPath(key, k, null) : new FieldPath(key, entry, k);
  }

  @Override
  public String toString() {
    if (key == null) {
      return "an unknown place";
    }
    return key + (entry == null ? "" : "/" + entry) + (field == null ? "" : "/" + field);
  }
}
