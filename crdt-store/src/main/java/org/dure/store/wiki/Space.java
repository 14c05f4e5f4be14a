package org.dure.store.wiki;

import java.time.Instant;

/** A space: a named collection of pages. */
public record Space(SpaceId id, String name, Instant created) {}
