package org.dure.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One committed change of a page with the metadata Automerge does not keep.
 *
 * @param number increasing per page, starting at 1
 * @param author the author's identity, empty for changes merged from elsewhere without attribution
 * @param heads the document heads after this change (hex change hashes)
 */
public record Version(
    PageId pageId,
    long number,
    Optional<Author> author,
    Instant time,
    Optional<String> message,
    java.util.List<String> heads) {}
