package org.dure.store.format;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.Test;

class DocumentContextTest {
  private static Document history(int changes) {
    Document doc = new Document(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    for (int i = 0; i < changes; i++) {
      try (Transaction tx = doc.startTransaction()) {
        tx.set(ObjectId.ROOT, "k" + i, "v" + i);
        tx.commit();
      }
    }
    return doc;
  }

  /** The first change of a 16-byte actor, with its seq (the byte after the actor) replaced. */
  private static byte[] withSeq(byte[] firstChange, int seq) {
    Samples.Chunk c = Samples.split(firstChange).get(0);
    byte[] body = c.body().clone();
    assertTrue(body[0] == 0 && body[1] == 16 && body[18] == 1, "no deps, 16-byte actor, seq 1");
    body[18] = (byte) seq;
    return Samples.seal(1, body);
  }

  @Test
  void aChangeWhoseSeqSkipsAheadIsRejectedForAKnownDocument() throws Exception {
    Document doc = history(1);
    byte[] first = doc.encodeChangesSince(new ChangeHash[0]);
    byte[] skipping = withSeq(first, 5);
    // On its own it is well formed ...
    assertDoesNotThrow(() -> AutomergeFormat.validateChanges(skipping));
    // ... but applied to a document that has no change of that actor, native code would later
    // index past the actor's history (automerge.rs get_changes_clock) and abort.
    InvalidAutomergeDataException e =
        assertThrows(
            InvalidAutomergeDataException.class,
            () ->
                AutomergeFormat.validateChanges(
                    skipping, Limits.defaults(), DocumentContext.ofNewDocument()));
    assertTrue(e.getMessage().contains("skips ahead"), e.getMessage());
    assertThrows(
        InvalidAutomergeDataException.class,
        () -> AutomergeFormat.validateDocument(Samples.concat(new Document().save(), skipping)));
    doc.free();
  }

  @Test
  void aContextFollowsTheDocumentThroughValidatedInputs() throws Exception {
    Document doc = history(3);
    ChangeHash[] heads = doc.getHeads();
    DocumentContext ctx = DocumentContext.of(doc.save());
    try (Transaction tx = doc.startTransaction()) {
      ObjectId list = tx.set(ObjectId.ROOT, "list", ObjectType.LIST);
      tx.insert(list, 0, "x");
      tx.commit();
    }
    byte[] next = doc.encodeChangesSince(heads);
    AutomergeFormat.validateChanges(next, Limits.defaults(), ctx);
    AutomergeFormat.validateChanges(next, Limits.defaults(), ctx); // a duplicate is harmless
    ChangeHash[] middle = doc.getHeads();
    try (Transaction tx = doc.startTransaction()) {
      tx.set(ObjectId.ROOT, "after", 1);
      tx.commit();
    }
    // seq 5 is fine because the context learned seq 4 from the previous batch
    AutomergeFormat.validateChanges(doc.encodeChangesSince(middle), Limits.defaults(), ctx);
    doc.free();
  }

  @Test
  void aRejectedInputTeachesTheContextNothing() throws Exception {
    Document doc = history(1);
    byte[] first = doc.encodeChangesSince(new ChangeHash[0]);
    DocumentContext ctx = DocumentContext.ofNewDocument();
    assertThrows(
        InvalidAutomergeDataException.class,
        () ->
            AutomergeFormat.validateChanges(
                Samples.concat(first, new byte[] {1}), Limits.defaults(), ctx));
    // seq 2 (with no dependencies, so native code would apply it) does not follow seq 1,
    // because seq 1 was not learned from the rejected input
    byte[] second = withSeq(first, 2);
    assertThrows(
        InvalidAutomergeDataException.class,
        () -> AutomergeFormat.validateChanges(second, Limits.defaults(), ctx));
    AutomergeFormat.validateChanges(first, Limits.defaults(), ctx);
    AutomergeFormat.validateChanges(second, Limits.defaults(), ctx);
    doc.free();
  }

  @Test
  void aChangeWaitingForItsDependenciesIsNotRefused() throws Exception {
    Document doc = history(2);
    List<Samples.Chunk> chunks = Samples.split(doc.encodeChangesSince(new ChangeHash[0]));
    byte[] second = Samples.seal(1, chunks.get(1).body());
    // seq 2 arrives before seq 1 (as sync does after a bloom filter false positive): native code
    // queues it until its dependency arrives, so it is harmless
    DocumentContext ctx = DocumentContext.ofNewDocument();
    AutomergeFormat.validateChanges(second, Limits.defaults(), ctx);
    AutomergeFormat.validateChanges(Samples.seal(1, chunks.get(0).body()), Limits.defaults(), ctx);
    doc.free();
  }
}
