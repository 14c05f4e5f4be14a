package org.dure.store.sync;

import java.util.Locale;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Ids;
import org.dure.store.social.Comments;
import org.dure.store.social.Profiles;
import org.dure.store.wiki.SpaceId;

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

    private final String key = name().toLowerCase(Locale.ROOT);

    /** The name of the kind as stored with its documents ({@link DocumentKind#key}). */
    public String key() {
      return key;
    }

    /**
     * The kind stored as {@code key}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static Kind ofKey(String key) {
      for (Kind k : values()) {
        if (k.key.equals(key)) {
          return k;
        }
      }
      throw new IllegalArgumentException("Unknown document kind " + key);
    }

    /** The kind's name on the wire: the same as its key. */
    public String wireName() {
      return key;
    }
  }

  public DocumentRef {
    Ids.check(id, "document id");
  }
}
