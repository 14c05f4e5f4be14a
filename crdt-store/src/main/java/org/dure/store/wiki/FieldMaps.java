package org.dure.store.wiki;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.MapEntry;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;

/**
 * Maps of records in a space's documents, as membership and moderation keep them: a map from an id
 * (a peer, a page, a report) to a map of string fields ({@code {by, time, reason}}). Read on the
 * document's lane; a peer may have written anything, so whatever is not of that shape is skipped
 * and reading stops at {@link #MAX_ENTRIES}.
 */
public final class FieldMaps {
  /** The most entries read from one map (a bound against a flooding peer). */
  public static final int MAX_ENTRIES = 10_000;

  private FieldMaps() {}

  /**
   * The map {@code key} under {@code parent} as id → its string fields (absent fields read as "";
   * entries that are not maps are skipped; at most {@link #MAX_ENTRIES}).
   */
  public static Map<String, Map<String, String>> entries(
      Document doc, ObjectId parent, String key) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    Optional<ObjectId> map =
        doc.get(parent, key)
            .filter(AmValue.Map.class::isInstance)
            .map(v -> ((AmValue.Map) v).getId());
    if (map.isEmpty()) {
      return out;
    }
    var list = doc.mapEntries(map.get()).orElse(new MapEntry[0]);
    for (var e : list) {
      if (out.size() >= MAX_ENTRIES) {
        break;
      }
      if (!(e.getValue() instanceof AmValue.Map m)) {
        continue;
      }
      Map<String, String> fields = new HashMap<>();
      for (var f : doc.mapEntries(m.getId()).orElse(new MapEntry[0])) {
        if (f.getValue() instanceof AmValue.Str s) {
          fields.put(f.getKey(), s.getValue());
        }
      }
      out.put(e.getKey(), new DefaultingMap(fields));
    }
    return out;
  }

  /** The map at the root's {@code key}, created by {@code tx} if there is none. */
  public static ObjectId mapOrCreate(Document doc, Transaction tx, String key) {
    return doc.get(ObjectId.ROOT, key)
        .filter(AmValue.Map.class::isInstance)
        .map(v -> ((AmValue.Map) v).getId())
        .orElseGet(() -> tx.set(ObjectId.ROOT, key, ObjectType.MAP));
  }

  /** A number written as a string field, or 0 if it is not one. */
  public static long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A time written as a string field (milliseconds), or the epoch if it is not one. */
  public static java.time.Instant time(String s) {
    return java.time.Instant.ofEpochMilli(number(s));
  }

  /** A map of fields that reads absent ones as "". */
  private static final class DefaultingMap extends AbstractMap<String, String> {
    private final Map<String, String> fields;

    DefaultingMap(Map<String, String> fields) {
      this.fields = fields;
    }

    @Override
    public String get(Object key) {
      return fields.getOrDefault(key, "");
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return fields.entrySet();
    }
  }
}
