package org.dure.store.sync;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.automerge.Document;
import org.dure.store.doc.Author;
import org.dure.store.doc.ClaimedAuthors;
import org.dure.store.doc.CommitMeta;
import org.dure.store.doc.DocumentKind;
import org.dure.store.doc.Documents;
import org.dure.store.doc.Heads;
import org.dure.store.doc.LiveDocument;
import org.dure.store.doc.Sql;
import org.dure.store.format.ChangeHeader;
import org.dure.store.format.DocumentContext;

/**
 * Stores documents peers send whole (snapshots): new ones, and ones held here whose changes did not
 * fit a sync message. The bytes are validated and checked against the quarantine, loaded once in
 * the sandbox ({@link NativeSandbox}), and only then here; the document must be of the kind, space
 * and id it is sent as ({@link DocumentKind#checkId}, {@link DocumentKind#checkShape}), and every
 * change of its history covered by an attestation of an author who may make it. An {@link
 * InflightLog} record names the snapshot while native code works on it.
 */
final class SnapshotIngest {
  private final Documents docs;
  private final Offers offers;
  private final Quarantine quarantine;
  private final InflightLog inflight;
  private final IngestSettings settings;

  SnapshotIngest(
      Documents docs,
      Offers offers,
      Quarantine quarantine,
      InflightLog inflight,
      IngestSettings settings) {
    this.docs = docs;
    this.offers = offers;
    this.quarantine = quarantine;
    this.inflight = inflight;
    this.settings = settings;
  }

  /**
   * Stores a document a peer sent whole. The bytes are validated, loaded once in the sandbox, and
   * only then here; the document must be what {@code ref} says (a page of that space, the space's
   * index or its membership).
   *
   * @throws PeerDataException if any check fails (nothing is stored)
   * @throws IllegalStateException if the document is already held (sync it instead)
   */
  DocumentRef importSnapshot(
      String peer,
      DocumentRef ref,
      byte[] snapshot,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    Untrusted.Limits limits = settings.limits();
    DocumentContext held = Untrusted.checkDocument(snapshot, limits);
    byte[] sha = Heads.sha256(snapshot);
    quarantine.refuseInput(peer, ref.id(), sha, "a snapshot");
    quarantine.refuseSnapshot(peer, ref.id(), held);
    if (docs.exists(ref.id())) {
      throw new IllegalStateException("Document " + ref.id() + " is already here");
    }
    DocumentKind kind = offers.kindOf(ref);
    String wrongId = kind.checkId(ref.id(), ref.space().value());
    if (wrongId != null) {
      throw new PeerDataException(wrongId);
    }
    if (!kind.opensSpace() && !docs.exists(ref.space().value())) {
      throw new PeerDataException("Space " + ref.space() + " is not here yet");
    }
    try {
      settings
          .sandbox()
          .tryLoad(snapshot); // a StoreException (the sandbox could not run) blames nobody
    } catch (PeerDataException e) {
      quarantine.quarantineInput(sha, peer, ref.id(), "a snapshot", e.getMessage());
      throw e;
    }
    importDocument(
        ref,
        snapshot,
        peer,
        attestations,
        authors,
        InflightLog.Entry.snapshot(peer, ref.id(), sha, snapshot));
    offers.fire(ref, Optional.of(peer));
    return ref;
  }

  /**
   * Merges a document a peer sent whole into the one held here (its changes did not fit a sync
   * message). Checked as {@link #importSnapshot} checks a new one: validated, loaded once in the
   * sandbox, every change of its history covered by an attestation of an author who may make it;
   * only then merged and stored.
   *
   * @return whether it brought anything new
   * @throws PeerDataException if any check fails (nothing is merged)
   * @throws NoSuchElementException if the document is not held here
   */
  boolean mergeSnapshot(
      String peer,
      DocumentRef ref,
      byte[] snapshot,
      Collection<Attestation> attestations,
      AuthorPolicy authors)
      throws PeerDataException {
    DocumentContext history = Untrusted.checkDocument(snapshot, settings.limits());
    byte[] sha = Heads.sha256(snapshot);
    quarantine.refuseInput(peer, ref.id(), sha, "a snapshot to merge");
    quarantine.refuseSnapshot(peer, ref.id(), history);
    DocumentRef held =
        offers
            .document(ref.id())
            .orElseThrow(() -> new NoSuchElementException("No document " + ref.id()));
    if (!held.equals(ref)) {
      throw new PeerDataException("Not " + held + " but " + ref);
    }
    try {
      settings
          .sandbox()
          .tryLoad(snapshot); // a StoreException (the sandbox could not run) blames nobody
    } catch (PeerDataException e) {
      quarantine.quarantineInput(sha, peer, ref.id(), "a snapshot to merge", e.getMessage());
      throw e;
    }
    boolean changed =
        mergeDocument(
            ref,
            snapshot,
            peer,
            attestations,
            authors,
            InflightLog.Entry.snapshot(peer, ref.id(), sha, snapshot));
    if (changed) {
      offers.fire(ref, Optional.of(peer));
    }
    return changed;
  }

  /**
   * Stores a document received whole from {@code peer}, after checking it is what {@code ref} says.
   * Loads it on its lane (the caller has already loaded it once in a sandbox).
   */
  private void importDocument(
      DocumentRef ref,
      byte[] snapshot,
      String peer,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors,
      InflightLog.Entry inFlight)
      throws PeerDataException {
    var meta = docs.received("Received from " + MessageIngest.shortPeer(peer));
    try {
      docs.create(
          ref.id(),
          () -> {
            // Again on the document's lane, where creations of one id run one at a time: two
            // sessions with one peer (a reconnect and the session it replaces) may both have
            // passed the caller's check with the same snapshot.
            if (docs.exists(ref.id())) {
              throw new IllegalStateException("Document " + ref.id() + " is already here");
            }
            // Right before native code gets the bytes (not while the import waits for the lane).
            Path record = inflight.begin(inFlight);
            try {
              return importOnLane(ref, snapshot, meta, attestations, authors);
            } finally {
              inflight.end(record);
            }
          },
          live -> null);
    } catch (RefusedImport e) {
      throw e.toPeerData(ref.id());
    }
  }

  /** The import of a snapshot, on its lane. */
  private LiveDocument importOnLane(
      DocumentRef ref,
      byte[] snapshot,
      CommitMeta meta,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors) {
    Document doc;
    try {
      Document loaded = Document.load(snapshot);
      try {
        doc = loaded.fork(docs.newActorId()); // write as this node
      } finally {
        loaded.free();
      }
    } catch (RuntimeException e) {
      throw new RefusedImport("Automerge could not load it: " + e.getMessage());
    }
    try {
      DocumentKind kind = offers.kindOf(ref);
      String problem = kind.checkShape(ref.id(), ref.space().value(), doc);
      if (problem != null) {
        throw new RefusedImport(problem);
      }
      DocumentContext history = history(doc, authors);
      Attestations.Coverage cover =
          checkAuthors(kind, doc, history.lastValidatedChanges(), attestations, authors, ref.id());
      Sql.OnCommit signed =
          (d, seq) -> {
            Attestations.save(d, cover.used());
            ClaimedAuthors.markVerified(d, ref.id(), seq, cover.authors());
          };
      List<byte[]> actors = new ArrayList<>();
      for (ChangeHeader c : history.lastValidatedChanges()) {
        actors.add(c.actor());
      }
      LiveDocument live =
          docs.importDocument(
              ref.id(),
              kind,
              ref.space().value(),
              doc,
              meta,
              actors,
              signed.andThen(
                  kind.afterImport(
                      ref.id(), ref.space().value(), doc, meta.time().toEpochMilli())));
      // The validator's picture of its history, made for the check: the first sync message
      // about it (right after an import) need not read the whole history again.
      history.forgetLastValidated();
      IngestState ingest = IngestState.of(live);
      ingest.guardedKeys = Set.copyOf(authors.guardedKeys());
      ingest.formatContext = history;
      return live;
    } catch (RuntimeException e) {
      doc.free();
      throw e;
    }
  }

  /**
   * Merges a document received whole from {@code peer} into the one held here, after checking it is
   * what {@code ref} says and that every change of its history is covered (as for an import). Runs
   * on the document's lane; returns whether anything changed.
   */
  private boolean mergeDocument(
      DocumentRef ref,
      byte[] snapshot,
      String peer,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors,
      InflightLog.Entry inFlight)
      throws PeerDataException {
    try {
      return docs.withDocument(
          ref.id(),
          live -> {
            // Right before native code gets the bytes (not while the merge waits for the lane).
            Path record = inflight.begin(inFlight);
            Document theirs;
            try {
              theirs = Document.load(snapshot);
            } catch (RuntimeException e) {
              inflight.end(record);
              throw new RefusedImport("Automerge could not load it: " + e.getMessage());
            }
            try {
              DocumentKind kind = live.kind();
              String problem = kind.checkShape(ref.id(), ref.space().value(), theirs);
              if (problem != null) {
                throw new RefusedImport(problem);
              }
              Attestations.Coverage cover =
                  checkAuthors(
                      kind,
                      theirs,
                      history(theirs, authors).lastValidatedChanges(),
                      attestations,
                      authors,
                      ref.id());
              live.doc().merge(theirs);
              // It learned changes that did not pass through the validator's picture of it.
              IngestState.of(live).formatContext = null;
              boolean changed = MessageIngest.persistSynced(docs, live, peer, cover.authors());
              if (changed) {
                docs.transaction(
                    d -> {
                      Attestations.save(d, cover.used());
                      return null;
                    });
              }
              return changed;
            } finally {
              theirs.free();
              inflight.end(record);
            }
          });
    } catch (RefusedImport e) {
      throw e.toPeerData(ref.id());
    }
  }

  /** Thrown on the lane when an imported document is refused. */
  private static final class RefusedImport extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean penalised;
    final Author culprit;

    RefusedImport(String message) {
      this(message, true, null);
    }

    RefusedImport(String message, boolean penalised, Author culprit) {
      super(message);
      this.penalised = penalised;
      this.culprit = culprit;
    }

    /** What the caller of an import or merge is told. */
    PeerDataException toPeerData(String docId) {
      String m = "Refused document " + docId + ": " + getMessage();
      return penalised ? new PeerDataException(m) : new PeerDataException(m, culprit);
    }
  }

  /**
   * The validator's picture of the whole history of a document received whole, its changes kept
   * ({@link DocumentContext#lastValidatedChanges}), writes under the keys {@code authors} guards
   * recorded.
   */
  private static DocumentContext history(Document doc, AuthorPolicy authors) {
    try {
      return DocumentContext.ofHistoryWithChanges(
          doc.encodeChangesSince(new org.automerge.ChangeHash[0]),
          org.dure.store.format.Limits.defaults(),
          authors.guardedKeys());
    } catch (org.dure.store.format.InvalidAutomergeDataException e) {
      throw new RefusedImport("its history does not validate: " + e.getMessage());
    }
  }

  /**
   * Checks that every change of a document received whole ({@code history}, all its changes) is
   * covered by a valid attestation of an author who may write it (see {@link Attestations}): its
   * whole history is here, so nothing can be withheld.
   */
  private static Attestations.Coverage checkAuthors(
      DocumentKind kind,
      Document doc,
      List<ChangeHeader> history,
      java.util.Collection<Attestation> attestations,
      AuthorPolicy authors,
      String docId) {
    if (kind.hasOneRoot() && history.stream().filter(c -> c.deps().isEmpty()).count() > 1) {
      throw new RefusedImport("its history has more than one first change");
    }
    Attestations.Coverage cover;
    try {
      cover =
          Attestations.cover(
              docId,
              history,
              java.util.Map.of(),
              java.util.Map.of(),
              h -> false,
              attestations,
              authors,
              c -> HeadsView.atDeps(doc, c.deps()));
    } catch (PeerDataException e) {
      throw new RefusedImport(e.getMessage(), e.penalised(), e.culprit());
    }
    if (!cover.withheld().isEmpty()) {
      throw new RefusedImport("its history is incomplete");
    }
    return cover;
  }
}
