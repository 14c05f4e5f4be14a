package org.dure.store.doc;

import java.time.Instant;
import java.util.Optional;

/**
 * Metadata Automerge does not keep, stored with each version: who made it (empty for changes from
 * elsewhere, whose authors their attestations name), when, and why.
 */
public record CommitMeta(Optional<Author> author, Instant time, Optional<String> message) {}
