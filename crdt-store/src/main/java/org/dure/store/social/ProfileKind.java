package org.dure.store.social;

import org.automerge.Document;
import org.dure.store.doc.DocumentKind;
import org.dure.store.wiki.SpaceId;

/**
 * One member's profile in one space, with an id derived from the space and its peer ID ({@link
 * Profiles#docId}): {@code space}, {@code peer}, {@code name}, {@code bio}, {@code avatar}, {@code
 * avatarType} and {@code updated}. Written only by that member.
 */
public final class ProfileKind implements DocumentKind {
  /** The one instance. */
  public static final ProfileKind KIND = new ProfileKind();

  private ProfileKind() {}

  @Override
  public String key() {
    return "profile";
  }

  @Override
  public String checkShape(String docId, String spaceId, Document doc) {
    return Profiles.checkShape(docId, new SpaceId(spaceId), doc);
  }

  @Override
  public String toString() {
    return key();
  }
}
