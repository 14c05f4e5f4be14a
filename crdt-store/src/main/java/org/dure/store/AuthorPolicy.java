package org.dure.store;

/**
 * Whether changes signed by {@code author} are taken into a document: the moderation layer decides
 * (members who may write, as the space's membership says), the store only asks. See {@link
 * Attestations}.
 */
@FunctionalInterface
public interface AuthorPolicy {

  /**
   * @param author the verified author
   * @param attestedTime when the author says it made its latest attested change (milliseconds)
   */
  boolean mayAuthor(Author author, long attestedTime);

  /** Any author with a valid signature: for tests and documents outside any space's rules. */
  AuthorPolicy ANY = (author, time) -> true;
}
