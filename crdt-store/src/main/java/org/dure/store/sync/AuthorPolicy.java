package org.dure.store.sync;

import java.util.Set;
import org.dure.store.doc.Author;
import org.dure.store.format.FieldWrite;

/**
 * Whether changes signed by {@code author} are taken into a document: the moderation layer decides
 * (members who may write, as the space's membership says), the store only asks. See {@link
 * Attestations}.
 *
 * <p>Besides the document as a whole, a policy may guard fields of it: for changes to a document
 * whose policy names {@link #guardedKeys}, the store records each write under those top-level keys
 * (where, what kind, and for a string, which string: {@link FieldWrite}) and asks {@link
 * #checkWrite} about each before applying it, with the document as the change's author saw it. For
 * other documents (pages) nothing is recorded.
 */
@FunctionalInterface
public interface AuthorPolicy {

  /**
   * @param author the verified author
   * @param attestedTime when the author says it made its latest attested change (milliseconds)
   */
  boolean mayAuthor(Author author, long attestedTime);

  /**
   * The top-level keys of the document whose writes are checked per author with {@link #checkWrite}
   * ({@link org.dure.store.format.DocumentContext#EVERY_KEY}: all); by default none. Should be the
   * same for every call about one document.
   */
  default Set<String> guardedKeys() {
    return Set.of();
  }

  /**
   * Why {@code author}, whom {@link #mayAuthor} lets write the document, may not make {@code
   * write}; null if it may. {@code asSeen} is the document at the change's dependencies: what its
   * author had seen when it made the change (rules judged on it decide alike on every node).
   *
   * @param attestedTime as for {@link #mayAuthor}
   */
  default Refusal checkWrite(
      Author author, long attestedTime, FieldWrite write, DocumentView asSeen) {
    return null;
  }

  /** Any author with a valid signature: for tests and documents outside any space's rules. */
  AuthorPolicy ANY = (author, time) -> true;
}
