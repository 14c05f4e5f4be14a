package org.dure.moderation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dure.store.format.FieldPath;
import org.dure.store.sync.DocumentView;

/**
 * A document as an author saw it, written out as paths: each path set, with its parents, exists; a
 * path with a string has it.
 */
final class MapView implements DocumentView {
  private final Map<FieldPath, String> values = new LinkedHashMap<>();
  private final boolean empty;

  private MapView(boolean empty) {
    this.empty = empty;
  }

  /** What the author of a document's first change saw: nothing. */
  static MapView nothing() {
    return new MapView(true);
  }

  /** A membership with {@code owner} in it. */
  static MapView membership(String owner) {
    return new MapView(false)
        .with("owner", null, null, owner)
        .with("members", owner, null, "owner")
        .with("banned", null, null, null);
  }

  /** Adds {@code key/entry/field} (as far as given) holding {@code value} (null: an object). */
  MapView with(String key, String entry, String field, String value) {
    values.put(new FieldPath(key, entry, field), value);
    return this;
  }

  @Override
  public Optional<String> string(FieldPath path) {
    return Optional.ofNullable(values.get(path));
  }

  @Override
  public boolean has(FieldPath path) {
    for (FieldPath p : values.keySet()) {
      if (p.equals(path)
          || (path.field() == null
              && p.key().equals(path.key())
              && (path.entry() == null || path.entry().equals(p.entry())))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean isEmpty() {
    return empty;
  }
}
