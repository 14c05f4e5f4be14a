package org.dure.store.doc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The kinds of document a store holds, by {@linkplain DocumentKind#key key}. Thread-safe. */
public final class DocumentKinds {
  private final Map<String, DocumentKind> byKey = new LinkedHashMap<>();
  private final Map<String, DocumentKind> unknown = new ConcurrentHashMap<>();

  /** The registry of {@code kinds}, whose keys differ. */
  public DocumentKinds(List<DocumentKind> kinds) {
    for (DocumentKind k : kinds) {
      if (byKey.put(k.key(), k) != null) {
        throw new IllegalArgumentException("Two document kinds named " + k.key());
      }
    }
  }

  /**
   * The kind named {@code key}: a registered one, or for a name no feature registered (a document
   * of a newer version of Dure) a kind with no rules.
   */
  public DocumentKind of(String key) {
    DocumentKind k = byKey.get(key);
    return k != null ? k : unknown.computeIfAbsent(key, name -> () -> name);
  }

  /** Every registered kind, in the order given. */
  public List<DocumentKind> all() {
    return List.copyOf(byKey.values());
  }
}
