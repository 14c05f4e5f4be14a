package org.dure.store.wiki;

import java.time.Instant;
import java.util.Optional;

/**
 * What a page list shows about a page, read from the store's index without loading the document.
 *
 * @param damaged the reason the page's document was quarantined, if it was
 */
public record PageSummary(
    PageId id,
    SpaceId spaceId,
    String title,
    Instant created,
    Instant updated,
    Optional<String> damaged) {}
