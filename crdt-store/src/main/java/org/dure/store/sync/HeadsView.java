package org.dure.store.sync;

import java.util.List;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.dure.store.doc.Heads;
import org.dure.store.format.FieldPath;

/**
 * A {@link DocumentView} of an Automerge document at given heads (a change's dependencies), all of
 * which the document must hold. Not thread-safe, like the document: read on its lane.
 */
final class HeadsView implements DocumentView {
  private final Document doc;
  private final ChangeHash[] heads;

  HeadsView(Document doc, ChangeHash[] heads) {
    this.doc = doc;
    this.heads = heads;
  }

  /** The view at a change's dependencies (hashes of 32 bytes). */
  static HeadsView atDeps(Document doc, List<byte[]> deps) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(32 * deps.size());
    for (byte[] d : deps) {
      out.writeBytes(d);
    }
    return new HeadsView(doc, Heads.decode(out.toByteArray()));
  }

  @Override
  public boolean isEmpty() {
    return heads.length == 0;
  }

  @Override
  public Optional<String> string(FieldPath path) {
    return value(path).filter(AmValue.Str.class::isInstance).map(v -> ((AmValue.Str) v).getValue());
  }

  @Override
  public boolean has(FieldPath path) {
    return value(path).isPresent();
  }

  private Optional<AmValue> value(FieldPath path) {
    if (path.isUnknown() || heads.length == 0) {
      return Optional.empty();
    }
    Optional<AmValue> v = doc.get(ObjectId.ROOT, path.key(), heads);
    if (path.entry() == null) {
      return v;
    }
    v = in(v, path.entry());
    return path.field() == null ? v : in(v, path.field());
  }

  private Optional<AmValue> in(Optional<AmValue> map, String key) {
    if (map.isEmpty() || !(map.get() instanceof AmValue.Map m)) {
      return Optional.empty();
    }
    return doc.get(m.getId(), key, heads);
  }
}
