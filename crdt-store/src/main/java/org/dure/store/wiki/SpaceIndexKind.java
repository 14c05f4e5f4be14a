package org.dure.store.wiki;

import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Fields;
import org.dure.store.doc.Ids;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.Sql;

/**
 * A space's index, whose id is the space's: {@code name}, {@code created}, {@code pages} (page id →
 * title: peers learn of pages by syncing it) and {@code hidden} (pages hidden space-wide, see
 * {@link HiddenPages}). Listed in table {@code spaces}. Its owner creates it once.
 */
public final class SpaceIndexKind implements DocumentKind {
  /** The one instance. */
  public static final SpaceIndexKind KIND = new SpaceIndexKind();

  private SpaceIndexKind() {}

  /** The {@code hidden} map: only moderators hide pages space-wide. */
  @Override
  public Set<String> guardedKeys() {
    return Set.of("hidden");
  }

  @Override
  public String key() {
    return "space";
  }

  @Override
  public boolean hasOneRoot() {
    return true;
  }

  @Override
  public boolean opensSpace() {
    return true;
  }

  @Override
  public String checkId(String docId, String spaceId) {
    return docId.equals(spaceId) ? null : "A space's index document must have the space's id";
  }

  @Override
  public String checkShape(String docId, String spaceId, Document doc) {
    if (doc.get(ObjectId.ROOT, "pages").filter(AmValue.Map.class::isInstance).isEmpty()) {
      return "the space index has no list of pages";
    }
    String name = Fields.str(doc, "name");
    return name.length() > 100 ? "the space's name is too long" : null;
  }

  @Override
  public Set<String> listed(Document doc) {
    Set<String> out = new HashSet<>();
    doc.get(ObjectId.ROOT, "pages")
        .filter(AmValue.Map.class::isInstance)
        .flatMap(m -> doc.keys(((AmValue.Map) m).getId()))
        .ifPresent(keys -> out.addAll(Arrays.asList(keys)));
    out.removeIf(k -> !Ids.FORMAT.matcher(k).matches());
    return out;
  }

  @Override
  public Sql.OnCommit afterImport(String docId, String spaceId, Document doc, long timeMillis) {
    String name = Fields.str(doc, "name");
    return (d, seq) -> {
      PreparedStatement ps =
          d.statement("INSERT INTO spaces(id, name, created, local) VALUES (?, ?, ?, 0)");
      ps.setString(1, docId);
      ps.setString(2, name.isBlank() ? "Shared space" : name);
      ps.setLong(3, timeMillis);
      ps.executeUpdate();
      HiddenPages.write(d, new SpaceId(spaceId), HiddenPages.in(doc));
    };
  }

  @Override
  public Sql.OnCommit afterMerge(LiveDocument live, long timeMillis) {
    String name = Fields.str(live.doc(), "name");
    Set<PageId> hidden = HiddenPages.in(live.doc());
    String id = live.id();
    SpaceId space = new SpaceId(live.spaceId());
    return (d, seq) -> {
      if (!name.isBlank()) {
        PreparedStatement ps = d.statement("UPDATE spaces SET name = ? WHERE id = ?");
        ps.setString(1, name);
        ps.setString(2, id);
        ps.executeUpdate();
      }
      HiddenPages.write(d, space, hidden);
    };
  }

  @Override
  public String toString() {
    return key();
  }
}
