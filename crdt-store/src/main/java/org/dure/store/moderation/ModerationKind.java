package org.dure.store.moderation;

import java.util.Set;
import org.automerge.Document;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Fields;
import org.dure.store.format.DocumentContext;
import org.dure.store.wiki.SpaceId;

/**
 * A space's moderation records, with an id derived from the space's ({@link
 * ModerationRecords#documentId}): {@code space}, {@code reports} and {@code log}. Its owner creates
 * it once.
 */
public final class ModerationKind implements DocumentKind {
  /** The one instance. */
  public static final ModerationKind KIND = new ModerationKind();

  private ModerationKind() {}

  /** Every key: reports, resolutions and log entries are bound to their signer. */
  @Override
  public Set<String> guardedKeys() {
    return Set.of(DocumentContext.EVERY_KEY);
  }

  @Override
  public String key() {
    return "moderation";
  }

  @Override
  public boolean hasOneRoot() {
    return true;
  }

  @Override
  public String checkId(String docId, String spaceId) {
    return docId.equals(ModerationRecords.documentId(new SpaceId(spaceId)))
        ? null
        : "Not the moderation document of space " + spaceId;
  }

  @Override
  public String checkShape(String docId, String spaceId, Document doc) {
    return spaceId.equals(Fields.str(doc, "space"))
        ? null
        : "the moderation records are not those of space " + spaceId;
  }

  @Override
  public String toString() {
    return key();
  }
}
