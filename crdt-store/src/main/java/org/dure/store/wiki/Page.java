package org.dure.store.wiki;

/**
 * A page's content at one version.
 *
 * @param version the number of the latest local version included (0 before the first edit)
 */
public record Page(PageId id, SpaceId spaceId, String title, String body, long version) {}
