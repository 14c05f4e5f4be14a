package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.dure.identity.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the kernel ({@link Documents}) does on every {@link DocumentStore}: one suite, run for each
 * kind of store by a subclass (STYLE.md §4), which says how to open one.
 */
abstract class DocumentStoreContract {
  /** A document with a text {@code body}, typed in like a page. */
  static final DocumentKind NOTE =
      new DocumentKind() {
        @Override
        public String key() {
          return "note";
        }

        @Override
        public long textLength(Document doc) {
          return doc.get(ObjectId.ROOT, "body")
              .filter(AmValue.Text.class::isInstance)
              .map(v -> doc.length(((AmValue.Text) v).getId()))
              .orElse(0L);
        }
      };

  /** The kernel's own tables, and one a feature keeps beside them. */
  static final Schema SCHEMA =
      new Schema() {
        @Override
        public int version() {
          return 1;
        }

        @Override
        public void migrate(int from, Migrations migrations) throws SQLException {
          if (from < 1) {
            migrations.step(
                s -> {
                  s.execute(
                      "CREATE TABLE documents(id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
                          + " space_id TEXT NOT NULL, snapshot BLOB, snapshot_sha BLOB,"
                          + " snapshot_seq INTEGER NOT NULL DEFAULT 0,"
                          + " last_seq INTEGER NOT NULL DEFAULT 0,"
                          + " change_bytes INTEGER NOT NULL DEFAULT 0, damaged TEXT)");
                  s.execute(
                      "CREATE TABLE changes(doc_id TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB,"
                          + " sha BLOB, heads BLOB NOT NULL, author BLOB, time INTEGER NOT NULL,"
                          + " message TEXT, PRIMARY KEY(doc_id, seq)) WITHOUT ROWID");
                  s.execute(
                      "CREATE TABLE change_claims(doc_id TEXT NOT NULL, seq INTEGER NOT NULL,"
                          + " claimed_author BLOB NOT NULL, verified INTEGER NOT NULL DEFAULT 0,"
                          + " PRIMARY KEY(doc_id, seq, claimed_author)) WITHOUT ROWID");
                  s.execute("CREATE TABLE notes(id TEXT PRIMARY KEY, edited INTEGER)");
                  s.execute("PRAGMA user_version=1");
                });
          }
        }
      };

  /** What the store's {@link Sql.OnEdit} saw: "docId@time" per call. */
  final List<String> edited = Collections.synchronizedList(new ArrayList<>());

  final Identity identity = Identity.ephemeral();
  Documents docs;

  /** Opens a store of the kind under test with {@link #SCHEMA} and {@code onEdit}. */
  abstract DocumentStore openStore(Sql.OnEdit onEdit);

  Documents openDocuments() {
    return new Documents(
        openStore(
            (sql, docId, time) -> {
              edited.add(docId + "@" + time);
              PreparedStatement ps = sql.statement("UPDATE notes SET edited = ? WHERE id = ?");
              ps.setLong(1, time);
              ps.setString(2, docId);
              ps.executeUpdate();
            }),
        identity,
        Clock.systemUTC(),
        2,
        64L * 1024 * 1024,
        new DocumentKinds(List.of(NOTE)),
        NativeLoads.NONE);
  }

  @BeforeEach
  void open() {
    docs = openDocuments();
  }

  @AfterEach
  void close() {
    if (docs != null) {
      docs.close();
    }
  }

  /** Creates a note with {@code text} as its body, listed in table {@code notes}. */
  void create(String id, String text) {
    docs.createDocument(
        id,
        NOTE,
        "space",
        tx -> {
          ObjectId body = tx.set(ObjectId.ROOT, "body", ObjectType.TEXT);
          tx.spliceText(body, 0, 0, text);
        },
        docs.meta(Optional.of("Created")),
        (sql, seq) -> {
          PreparedStatement ps = sql.statement("INSERT INTO notes(id) VALUES (?)");
          ps.setString(1, id);
          ps.executeUpdate();
        });
  }

  static ObjectId body(LiveDocument live) {
    return live.doc().get(ObjectId.ROOT, "body").map(v -> ((AmValue.Text) v).getId()).orElseThrow();
  }

  String text(String id) {
    return docs.withDocument(id, live -> live.doc().text(body(live)).orElseThrow());
  }

  long queryLong(String sql, String id) {
    return docs.read(
        d -> {
          PreparedStatement ps = d.statement(sql);
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
          }
        });
  }

  @Test
  void aCreatedDocumentLoadsBackAsItWasOnceItLeftMemory() {
    create("a", "hello");
    ChangeHash[] heads = docs.withDocument("a", live -> live.doc().getHeads());
    docs.forget("a");
    assertEquals("hello", text("a"));
    assertArrayEquals(heads, docs.withDocument("a", live -> live.doc().getHeads()));
    assertEquals(1, (long) docs.withDocument("a", LiveDocument::lastSeq));
    assertEquals(NOTE, docs.withDocument("a", LiveDocument::kind));
    assertTrue(docs.exists("a"));
    assertFalse(docs.exists("b"));
    assertThrows(NoSuchElementException.class, () -> docs.withDocument("b", LiveDocument::id));
  }

  @Test
  void eachCommitIsTheNextVersionAndOneThatChangesNothingIsNone() {
    create("a", "x");
    List<OptionalLong> seqs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seqs.add(
          docs.withDocument(
              "a",
              live ->
                  docs.commit(
                      live,
                      tx -> tx.spliceText(body(live), 0, 0, "y"),
                      docs.meta(Optional.empty()),
                      Sql.OnCommit.NONE)));
    }
    assertEquals(List.of(OptionalLong.of(2), OptionalLong.of(3), OptionalLong.of(4)), seqs);
    assertEquals(
        OptionalLong.empty(),
        docs.withDocument(
            "a",
            live -> docs.commit(live, tx -> {}, docs.meta(Optional.empty()), Sql.OnCommit.NONE)));
    assertEquals(4, queryLong("SELECT last_seq FROM documents WHERE id = ?", "a"));
    assertEquals(4, queryLong("SELECT count(*) FROM changes WHERE doc_id = ?", "a"));
    byte[] me = identity.publicKey().data();
    assertArrayEquals(
        me,
        docs.read(
            d -> {
              PreparedStatement ps =
                  d.statement("SELECT author FROM changes WHERE doc_id = ? AND seq = 4");
              ps.setString(1, "a");
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
              }
            }),
        "a local version names its author");
  }

  @Test
  void theHeadsOfEveryVersionAreKeptAndReadTheDocumentAsItWas() {
    create("a", "one");
    ChangeHash[] first = docs.withDocument("a", live -> live.doc().getHeads());
    docs.withDocument(
        "a",
        live ->
            docs.commit(
                live,
                tx -> tx.spliceText(body(live), 3, 0, " two"),
                docs.meta(Optional.empty()),
                Sql.OnCommit.NONE));
    assertArrayEquals(Heads.encode(first), Heads.encode(docs.headsOf("a", 1)));
    assertNull(docs.headsOf("a", 3));
    docs.forget("a");
    assertEquals(
        "one",
        docs.withDocument(
            "a", live -> live.doc().text(body(live), docs.headsOf("a", 1)).orElseThrow()));
    assertEquals("one two", text("a"));
  }

  @Test
  void journalledEditsAreReadAtOnceAndRunTheEditHook() {
    create("a", "");
    for (int i = 0; i < 200; i++) {
      int pos = i;
      OptionalLong seq =
          docs.withDocument(
              "a",
              live ->
                  docs.commitJournalled(
                      live,
                      null,
                      tx -> tx.spliceText(body(live), pos, 0, "k"),
                      docs.meta(Optional.empty())));
      assertEquals(OptionalLong.of(i + 2), seq);
    }
    // Every read first applies what is pending.
    assertEquals(201, queryLong("SELECT last_seq FROM documents WHERE id = ?", "a"));
    assertEquals(201, queryLong("SELECT count(*) FROM changes WHERE doc_id = ?", "a"));
    assertTrue(queryLong("SELECT edited FROM notes WHERE id = ?", "a") > 0, "the hook ran");
    assertTrue(edited.stream().allMatch(e -> e.startsWith("a@")), edited.toString());
    docs.awaitDurable();
    docs.forget("a");
    assertEquals("k".repeat(200), text("a"));
  }

  @Test
  void aSnapshotReplacesTheChangesItHolds() {
    create("a", "");
    long commits = DocumentRepository.COMPACT_MIN_CHANGES + 1;
    for (int i = 0; i < commits; i++) {
      int pos = i;
      docs.withDocument(
          "a",
          live ->
              docs.commit(
                  live,
                  tx -> tx.spliceText(body(live), pos, 0, "s"),
                  docs.meta(Optional.empty()),
                  Sql.OnCommit.NONE));
    }
    long snapshotSeq = queryLong("SELECT snapshot_seq FROM documents WHERE id = ?", "a");
    assertTrue(snapshotSeq > 1, "compacted at " + snapshotSeq);
    assertEquals(
        0,
        queryLong(
            "SELECT count(*) FROM changes WHERE doc_id = ? AND data IS NOT NULL AND seq <= "
                + snapshotSeq,
            "a"),
        "the changes the snapshot holds are not kept twice");
    docs.forget("a");
    assertEquals("s".repeat((int) commits), text("a"));
    assertEquals(snapshotSeq, (long) docs.withDocument("a", LiveDocument::snapshotSeq));
  }

  @Test
  void aStoredChangeFailingItsChecksumMarksTheDocumentDamaged() {
    create("a", "one");
    docs.withDocument(
        "a",
        live ->
            docs.commit(
                live,
                tx -> tx.spliceText(body(live), 0, 0, "x"),
                docs.meta(Optional.empty()),
                Sql.OnCommit.NONE));
    docs.transaction(
        d -> {
          PreparedStatement ps =
              d.statement("UPDATE changes SET sha = zeroblob(32) WHERE doc_id = ? AND seq = 2");
          ps.setString(1, "a");
          return ps.executeUpdate();
        });
    docs.forget("a");
    DamagedDocumentException e =
        assertThrows(
            DamagedDocumentException.class, () -> docs.withDocument("a", LiveDocument::id));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertTrue(docs.exists("a"), "kept on disk");
    assertNull(docs.storedBytes("a"), "not handed to native code again");
    assertThrows(DamagedDocumentException.class, () -> docs.withDocument("a", LiveDocument::id));
  }

  @Test
  void aTransactionThatFailsLeavesNothing() {
    create("a", "x");
    assertThrows(
        IllegalStateException.class,
        () ->
            docs.transaction(
                d -> {
                  PreparedStatement ps = d.statement("INSERT INTO notes(id) VALUES (?)");
                  ps.setString(1, "b");
                  ps.executeUpdate();
                  throw new IllegalStateException("fails");
                }));
    assertEquals(-1, queryLong("SELECT 1 FROM notes WHERE id = ?", "b"));
    assertEquals("ok", docs.integrityCheck());
  }

  @Test
  void aDocumentReceivedWholeIsVersionOneAndMergedChangesAVersionWithoutAuthor() {
    create("a", "hello");
    byte[] saved = docs.withDocument("a", live -> live.doc().save());
    // Another node's copy, with a change of its own.
    Identity other = Identity.ephemeral();
    Document loaded = Document.load(saved);
    Document theirs = loaded.fork(ClaimedAuthors.actorId(other.publicKey().data()));
    loaded.free();
    try {
      var tx = theirs.startTransaction();
      ObjectId body =
          theirs.get(ObjectId.ROOT, "body").map(v -> ((AmValue.Text) v).getId()).orElseThrow();
      tx.spliceText(body, 5, 0, " there");
      tx.commit();
      byte[] theirBytes = theirs.save();
      // Received whole as a new document "b".
      docs.create(
          "b",
          () -> {
            Document doc = Document.load(theirBytes);
            return docs.importDocument(
                "b", NOTE, "space", doc, docs.received("Received"), null, Sql.OnCommit.NONE);
          },
          live -> null);
      assertEquals(1, (long) docs.withDocument("b", LiveDocument::lastSeq));
      docs.forget("b");
      assertEquals("hello there", text("b"));
      // Merged into "a": one version, no local author, its author claimed.
      OptionalLong seq =
          docs.withDocument(
              "a",
              live -> {
                Document incoming = Document.load(theirBytes);
                try {
                  live.doc().merge(incoming);
                } finally {
                  incoming.free();
                }
                return docs.persistExternal(live, docs.received("Merged"), Sql.OnCommit.NONE);
              });
      assertEquals(OptionalLong.of(2), seq);
      assertEquals(
          1,
          queryLong(
              "SELECT count(*) FROM changes WHERE doc_id = ? AND seq = 2 AND author IS NULL", "a"));
      assertArrayEquals(
          other.publicKey().data(),
          docs.read(
              d -> {
                PreparedStatement ps =
                    d.statement(
                        "SELECT claimed_author FROM change_claims WHERE doc_id = ? AND seq = 2");
                ps.setString(1, "a");
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? rs.getBytes(1) : null;
                }
              }));
      docs.forget("a");
      assertEquals("hello there", text("a"));
    } finally {
      theirs.free();
    }
  }

  @Test
  void storedBytesAreWhatALoadHandsToNativeCode() {
    create("a", "bytes");
    byte[] stored = docs.storedBytes("a");
    assertNotNull(stored);
    Document doc = new Document();
    try {
      doc.applyEncodedChanges(stored);
      ObjectId body =
          doc.get(ObjectId.ROOT, "body").map(v -> ((AmValue.Text) v).getId()).orElseThrow();
      assertEquals("bytes", doc.text(body).orElseThrow());
    } finally {
      doc.free();
    }
    assertNull(docs.storedBytes("none"));
  }
}
