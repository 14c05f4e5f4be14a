package org.dure.store.sync;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.automerge.ChangeHash;
import org.dure.store.doc.ChangeObserver;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.StoreException;
import org.dure.store.format.AutomergeFormat;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;
import org.dure.store.format.InvalidAutomergeDataException;
import org.dure.store.format.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sync ingest keeps about a loaded document, with it (a {@link LiveDocument.Slot}): the
 * format validator's picture of its history, and changes from peers not applied yet. Used on the
 * document's lane only; lost when the document leaves memory (a peer sends again what was held
 * back).
 */
final class IngestState {
  private static final Logger LOG = LoggerFactory.getLogger(IngestState.class);
  private static final LiveDocument.Slot<IngestState> SLOT = LiveDocument.Slot.of();

  /**
   * What the format validator knows of this document's history (objects, changes per actor), made
   * when a peer first sends something for it and kept up to date with every local change.
   */
  DocumentContext formatContext;

  /**
   * The top-level keys whose writes {@link #formatContext} records per change: those the document's
   * {@link AuthorPolicy} guards, as the last peer input asked (empty for pages).
   */
  Set<String> guardedKeys = Set.of();

  /**
   * Changes from peers held back until the history their author signed is complete here (see {@link
   * Attestations}), by hash; bounded by {@link Attestations#MAX_WITHHELD_BYTES}.
   */
  final Map<ByteBuffer, ChangeHeader> withheld = new LinkedHashMap<>();

  /** Changes accepted from peers that Automerge may still queue (a dependency missing), by hash. */
  final Map<ByteBuffer, ChangeHeader> queued = new LinkedHashMap<>();

  /** The state kept with {@code live}, made on first use. */
  static IngestState of(LiveDocument live) {
    IngestState s = live.get(SLOT);
    if (s == null) {
      s = new IngestState();
      live.set(SLOT, s);
    }
    return s;
  }

  /**
   * The kernel's hook: teaches the validator's picture of a document (if it has one) the changes of
   * each version persisted.
   */
  static final ChangeObserver OBSERVER =
      (live, changes) -> {
        IngestState s = live.get(SLOT);
        if (s == null || s.formatContext == null) {
          return;
        }
        try {
          // Our own changes: teach the validator's picture of the document about them.
          AutomergeFormat.validateChanges(changes, Limits.defaults(), s.formatContext);
        } catch (InvalidAutomergeDataException e) {
          LOG.warn("Validator disagrees with a change of {}; rebuilding its context", live.id(), e);
          s.formatContext = null;
        }
      };

  /**
   * Makes the document's validator context record writes under the keys {@code authors} guards
   * (rebuilt once when they change; nothing to do for documents without field rules).
   */
  void guard(AuthorPolicy authors) {
    Set<String> keys = authors.guardedKeys();
    if (!keys.equals(guardedKeys)) {
      guardedKeys = Set.copyOf(keys);
      formatContext = null;
    }
  }

  /** The validator's picture of {@code live}'s history, made on first use (on its lane). */
  DocumentContext context(LiveDocument live) {
    if (formatContext == null) {
      try {
        formatContext =
            DocumentContext.ofHistory(
                live.doc().encodeChangesSince(new ChangeHash[0]), Limits.defaults(), guardedKeys);
      } catch (InvalidAutomergeDataException e) {
        // This store's own data, not what the peer sent now: a local fault, nobody is penalised.
        throw new StoreException("This document's own history does not validate: " + e, e);
      }
    }
    return formatContext;
  }
}
