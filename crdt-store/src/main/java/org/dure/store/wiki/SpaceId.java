package org.dure.store.wiki;

import org.dure.store.doc.Ids;

/** Identifies a space (a wiki shared by a group of people). */
public record SpaceId(String value) {
  public SpaceId {
    Ids.check(value, "space id");
  }

  public static SpaceId random() {
    return new SpaceId(Ids.random());
  }

  @Override
  public String toString() {
    return value;
  }
}
