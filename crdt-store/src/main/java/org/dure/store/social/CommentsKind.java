package org.dure.store.social;

import java.util.Set;
import org.automerge.Document;
import org.dure.store.doc.DocumentKind;
import org.dure.store.format.DocumentContext;
import org.dure.store.wiki.SpaceId;

/**
 * The discussion thread of one page, with an id derived from the page's ({@link Comments#docId}):
 * {@code space}, {@code page}, and each comment a map at the root under its own id. Two peers may
 * start it at once: it may have several first changes.
 */
public final class CommentsKind implements DocumentKind {
  /** The one instance. */
  public static final CommentsKind KIND = new CommentsKind();

  private CommentsKind() {}

  /** Every key: a comment's author and hider are bound to the signer. */
  @Override
  public Set<String> guardedKeys() {
    return Set.of(DocumentContext.EVERY_KEY);
  }

  @Override
  public String key() {
    return "comments";
  }

  @Override
  public String checkShape(String docId, String spaceId, Document doc) {
    return Comments.checkShape(docId, new SpaceId(spaceId), doc);
  }

  @Override
  public String toString() {
    return key();
  }
}
