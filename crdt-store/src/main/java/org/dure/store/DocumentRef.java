package org.dure.store;

import java.util.Locale;

/**
 * A document of a space, as sync names it.
 *
 * @param id the document id (for a space's index document, the space id)
 * @param kind what it holds
 * @param space the space it belongs to
 */
public record DocumentRef(String id, Kind kind, SpaceId space) {
  /** What a document holds. */
  public enum Kind {
    /** The space's index: its name and the list of its pages. */
    SPACE,
    /** Who belongs to the space, and their roles. */
    MEMBERS,
    /** A page: title and Markdown body. */
    PAGE,
    /** One member's profile in the space: display name, bio, avatar ({@link Profiles}). */
    PROFILE,
    /** The discussion thread of a page ({@link Comments}). */
    COMMENTS,
    /** The space's reports and moderation log. */
    MODERATION;

    String key() {
      return switch (this) {
        case SPACE -> WikiStore.KIND_SPACE;
        case MEMBERS -> WikiStore.KIND_MEMBERS;
        case PAGE -> WikiStore.KIND_PAGE;
        case PROFILE -> WikiStore.KIND_PROFILE;
        case COMMENTS -> WikiStore.KIND_COMMENTS;
        case MODERATION -> WikiStore.KIND_MODERATION;
      };
    }

    static Kind ofKey(String key) {
      for (Kind k : values()) {
        if (k.key().equals(key)) {
          return k;
        }
      }
      throw new IllegalArgumentException("Unknown document kind " + key);
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public DocumentRef {
    Ids.check(id, "document id");
  }
}
