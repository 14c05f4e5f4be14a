package org.dure.store.wiki;

/**
 * What a version of a page did to the page as a whole, beside its text: read from the document
 * itself, so a peer's rename or delete shows in history like this node's.
 *
 * @param version the version that did it
 * @param from the title before (a rename), else the title
 * @param to the title after (a rename), else the title
 */
public record PageEvent(long version, Type type, String from, String to) {
  /** What happened. */
  public enum Type {
    /** The title changed (the former one still leads to the page). */
    RENAMED,
    /** The page went to its space's trash. */
    DELETED,
    /** The page came back from the trash. */
    RESTORED
  }
}
