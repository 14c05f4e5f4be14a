package org.dure.store.wiki;

import java.util.Locale;
import java.util.Optional;

/** What a member may do in a space. */
public enum Role {
  /** Created the space; may do everything, including changing membership. */
  OWNER,
  /** May change membership and moderate. */
  MODERATOR,
  /** May edit pages. */
  EDITOR,
  /** May read; edits are not accepted. */
  READER;

  /** The role's name as stored in the membership document. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role stored as {@code key}, if it is one. */
  public static Optional<Role> ofKey(String key) {
    for (Role r : values()) {
      if (r.key().equals(key)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
