package org.dure.store.wiki;

import java.time.Instant;
import java.util.Optional;
import org.dure.store.doc.Author;

/**
 * One committed change of a page with the metadata Automerge does not keep.
 *
 * @param number increasing per page, starting at 1
 * @param author who made it: this node for a local edit; for changes from a peer, the author its
 *     attestation proves (or, for data from before signed authorship, the author its actor id
 *     claims); empty if unknown
 * @param heads the document heads after this change (hex change hashes)
 * @param verified whether the author is proven: a local edit, or changes whose author's signed
 *     attestation this node checked
 */
public record Version(
    PageId pageId,
    long number,
    Optional<Author> author,
    Instant time,
    Optional<String> message,
    java.util.List<String> heads,
    boolean verified) {}
