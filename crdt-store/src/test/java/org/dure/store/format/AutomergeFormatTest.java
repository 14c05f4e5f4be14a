package org.dure.store.format;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AutomergeFormatTest {
  private static Samples samples;

  @BeforeAll
  static void generate() {
    samples = Samples.generate(20261122L, 30);
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = AutomergeFormatTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void everythingTheJavaBindingProducesValidates() {
    assertTrue(samples.documents.size() >= 90 && samples.syncMessages.size() > 30);
    for (byte[] d : samples.documents) {
      assertDoesNotThrow(() -> AutomergeFormat.validateDocument(d));
    }
    for (byte[] c : samples.changes) {
      assertDoesNotThrow(() -> AutomergeFormat.validateChanges(c));
      for (Samples.Chunk chunk : Samples.split(c)) {
        assertDoesNotThrow(
            () -> AutomergeFormat.validateChange(Samples.seal(chunk.type(), chunk.body())));
      }
    }
    for (byte[] m : samples.syncMessages) {
      assertDoesNotThrow(() -> AutomergeFormat.validateSyncMessage(m));
    }
  }

  @Test
  void realChangesAndMessagesValidateAgainstTheirReceivingDocument() throws Exception {
    for (Samples.Pair p : samples.changesOnBase) {
      DocumentContext ctx =
          p.base().length == 0 ? DocumentContext.ofNewDocument() : DocumentContext.of(p.base());
      AutomergeFormat.validateChanges(p.data(), Limits.defaults(), ctx);
    }
    int refused = 0;
    for (Samples.Pair p : samples.syncOnBase) {
      try {
        AutomergeFormat.validateSyncMessage(
            p.data(), Limits.defaults(), DocumentContext.of(p.base()));
      } catch (InvalidAutomergeDataException e) {
        assertTrue(e.getMessage().contains("skips ahead"), e.getMessage());
        refused++;
      }
    }
    System.out.printf(
        "context: %d of %d real sync messages refused for a seq gap (%d during the syncs)%n",
        refused, samples.syncOnBase.size(), samples.seqGapRefusals);
    assertEquals(0, refused + samples.seqGapRefusals, "real sync messages refused");
  }

  @Test
  void changesWithAMessageAndATimeValidateAndLoad() throws Exception {
    // The binding's commit() records no message and time 0; write them in as other clients do.
    Document doc = new Document(new byte[16]);
    try (Transaction tx = doc.startTransaction()) {
      tx.set(ObjectId.ROOT, "title", "두레");
      tx.commit();
    }
    byte[] body = Samples.split(doc.encodeChangesSince(new ChangeHash[0])).get(0).body();
    assertTrue(body[0] == 0 && body[1] == 16 && body[18] == 1 && body[19] == 1);
    assertTrue(body[20] == 0 && body[21] == 0, "time 0, no message");
    byte[] message = "제목 바꿈 ✍️".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(body, 0, 20);
    out.writeBytes(new byte[] {(byte) 0x80, (byte) 0xd4, (byte) 0xc5, (byte) 0xc5, 0x0b}); // time
    out.write(message.length);
    out.writeBytes(message);
    out.write(body, 22, body.length - 22);
    byte[] change = Samples.seal(1, out.toByteArray());
    AutomergeFormat.validateChange(change);
    Document loaded = Document.load(change);
    assertEquals(
        "두레",
        loaded
            .get(ObjectId.ROOT, "title")
            .filter(AmValue.Str.class::isInstance)
            .map(v -> ((AmValue.Str) v).getValue())
            .orElse(""));
    doc.free();
    loaded.free();
  }

  @Test
  void savedDocumentsWithDeflatedColumnsValidate() {
    Document doc = new Document();
    try (Transaction tx = doc.startTransaction()) {
      ObjectId text = tx.set(ObjectId.ROOT, "text", org.automerge.ObjectType.TEXT);
      tx.spliceText(text, 0, 0, "가나다라마바사아자차카타파하 😀 ".repeat(300));
      tx.commit();
    }
    byte[] saved = doc.save();
    assertEquals(0, Samples.split(saved).get(0).type(), "a document chunk");
    assertDoesNotThrow(() -> AutomergeFormat.validateDocument(saved));
    doc.free();
  }

  @Test
  void compressedChangeChunksValidateAndLoad() throws Exception {
    for (byte[] c : samples.changes.subList(0, 12)) {
      StringBuilder all = new StringBuilder();
      byte[][] sealed =
          Samples.split(c).stream().map(ch -> Samples.seal(2, ch.body())).toArray(byte[][]::new);
      byte[] compressed = Samples.concat(sealed);
      AutomergeFormat.validateChanges(compressed);
      all.append(compressed.length);
    }
    // the reference implementation accepts what we sealed: load the first history natively
    byte[] history = samples.changes.get(0);
    byte[] compressed =
        Samples.concat(
            Samples.split(history).stream()
                .map(ch -> Samples.seal(2, ch.body()))
                .toArray(byte[][]::new));
    Document plain = Document.load(history);
    Document viaCompressed = Document.load(compressed);
    assertEquals(Arrays.asList(plain.getHeads()), Arrays.asList(viaCompressed.getHeads()));
  }

  @Test
  void emptyChangesAreValidButAnEmptyDocumentIsNot() {
    Document doc = new Document();
    byte[] none = doc.encodeChangesSince(new ChangeHash[0]);
    assertDoesNotThrow(() -> AutomergeFormat.validateChanges(none));
    assertThrows(
        InvalidAutomergeDataException.class, () -> AutomergeFormat.validateDocument(new byte[0]));
    assertDoesNotThrow(() -> AutomergeFormat.validateDocument(doc.save()));
  }

  @Test
  void theKnownCrashersAreRejected() throws IOException {
    // Never hand these to native code in this JVM: each aborts the process.
    byte[] load = resource("load.bin");
    byte[] changes = resource("changes.bin");
    byte[] sync = resource("syncmsg.bin");
    InvalidAutomergeDataException e1 =
        assertThrows(
            InvalidAutomergeDataException.class, () -> AutomergeFormat.validateDocument(load));
    assertTrue(e1.getMessage().contains("unknown action"), e1.getMessage());
    InvalidAutomergeDataException e2 =
        assertThrows(
            InvalidAutomergeDataException.class, () -> AutomergeFormat.validateChanges(changes));
    assertTrue(e2.getMessage().contains("actor index"), e2.getMessage());
    InvalidAutomergeDataException e3 =
        assertThrows(
            InvalidAutomergeDataException.class, () -> AutomergeFormat.validateSyncMessage(sync));
    assertTrue(e3.getMessage().contains("actor index"), e3.getMessage());
    // and whichever entry point they are offered to
    for (byte[] bad : List.of(load, changes, sync)) {
      assertThrows(
          InvalidAutomergeDataException.class, () -> AutomergeFormat.validateDocument(bad));
      assertThrows(InvalidAutomergeDataException.class, () -> AutomergeFormat.validateChanges(bad));
      assertThrows(
          InvalidAutomergeDataException.class, () -> AutomergeFormat.validateSyncMessage(bad));
    }
  }
}
