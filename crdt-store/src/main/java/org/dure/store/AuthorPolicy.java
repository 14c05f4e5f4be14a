package org.dure.store;

import java.util.Set;
import org.dure.store.format.FieldPath;

/**
 * Whether changes signed by {@code author} are taken into a document: the moderation layer decides
 * (members who may write, as the space's membership says), the store only asks. See {@link
 * Attestations}.
 *
 * <p>Besides the document as a whole, a policy may guard fields of it: for changes to a document
 * whose policy names {@link #guardedKeys}, the store records which places under those top-level
 * keys each change writes (sets, increments, deletes, makes an object at; see {@link FieldPath})
 * and asks {@link #mayWrite} about each before applying it. For other documents (pages) nothing is
 * recorded.
 */
@FunctionalInterface
public interface AuthorPolicy {

  /**
   * @param author the verified author
   * @param attestedTime when the author says it made its latest attested change (milliseconds)
   */
  boolean mayAuthor(Author author, long attestedTime);

  /**
   * The top-level keys of the document whose writes are checked per author with {@link #mayWrite};
   * by default none. Should be the same for every call about one document.
   */
  default Set<String> guardedKeys() {
    return Set.of();
  }

  /**
   * Whether {@code author}, whom {@link #mayAuthor} lets write the document, may write at {@code
   * path} (under one of the {@link #guardedKeys}, or {@link FieldPath#UNKNOWN} when the change
   * writes into an object the store has not seen made). By default yes.
   *
   * @param attestedTime as for {@link #mayAuthor}
   */
  default boolean mayWrite(Author author, long attestedTime, FieldPath path) {
    return true;
  }

  /** Any author with a valid signature: for tests and documents outside any space's rules. */
  AuthorPolicy ANY = (author, time) -> true;
}
