package org.dure.store.wiki;

import org.dure.store.doc.Ids;

/** Identifies a page; also the id of the page's Automerge document. */
public record PageId(String value) {
  public PageId {
    Ids.check(value, "page id");
  }

  public static PageId random() {
    return new PageId(Ids.random());
  }

  @Override
  public String toString() {
    return value;
  }
}
