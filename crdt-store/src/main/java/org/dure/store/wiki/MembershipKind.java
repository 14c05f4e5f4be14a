package org.dure.store.wiki;

import java.util.Set;
import org.automerge.Document;
import org.dure.identity.PeerId;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Fields;
import org.dure.store.format.DocumentContext;

/**
 * A space's membership, with an id derived from the space's ({@link Memberships#docId}): {@code
 * space}, {@code owner}, {@code members} (peer → role), {@code banned} and {@code former} (peer →
 * fields). Its owner creates it once. Every change to any document of the space is checked against
 * it, so lanes wait on it and it waits on none ({@link #isWaitedOn}).
 */
public final class MembershipKind implements DocumentKind {
  /** The one instance. */
  public static final MembershipKind KIND = new MembershipKind();

  private MembershipKind() {}

  /** Every key: who may give which role is judged write by write. */
  @Override
  public Set<String> guardedKeys() {
    return Set.of(DocumentContext.EVERY_KEY);
  }

  @Override
  public String key() {
    return "members";
  }

  @Override
  public boolean hasOneRoot() {
    return true;
  }

  @Override
  public boolean isWaitedOn() {
    return true;
  }

  @Override
  public String checkId(String docId, String spaceId) {
    return docId.equals(Memberships.docId(new SpaceId(spaceId)))
        ? null
        : "Not the membership document of space " + spaceId;
  }

  @Override
  public String checkShape(String docId, String spaceId, Document doc) {
    if (!spaceId.equals(Fields.str(doc, "space"))) {
      return "the membership is not that of space " + spaceId;
    }
    try {
      PeerId.parseBase58(Fields.str(doc, "owner"));
    } catch (IllegalArgumentException e) {
      return "the membership has no valid owner";
    }
    return null;
  }

  @Override
  public String toString() {
    return key();
  }
}
