package org.dure.store.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writes under guarded keys that each validated change makes ({@link FieldWrite}): where, what
 * kind, and for a string, which string.
 */
class FieldWritesTest {
  private static final Set<String> GUARDED = Set.of("hidden");
  private static final String P1 = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String P2 = "bbbbbbbbbbbbbbbbbbbbbbbbbb";

  private Document moderator;
  private Document editor;

  private static byte[] actor(int b) {
    byte[] a = new byte[40];
    Arrays.fill(a, (byte) b);
    return a;
  }

  private static void change(Document doc, Consumer<Transaction> ops) {
    try (Transaction tx = doc.startTransaction()) {
      ops.accept(tx);
      tx.commit();
    }
  }

  /** A space index with a page listed and one hidden by the moderator; the editor has a copy. */
  @BeforeEach
  void space() {
    moderator = new Document(actor(1));
    change(
        moderator,
        tx -> {
          tx.set(ObjectId.ROOT, "name", "Space");
          ObjectId pages = tx.set(ObjectId.ROOT, "pages", ObjectType.MAP);
          tx.set(pages, P1, "First page");
          ObjectId entry =
              tx.set(tx.set(ObjectId.ROOT, "hidden", ObjectType.MAP), P1, ObjectType.MAP);
          tx.set(entry, "by", "moderator");
          tx.set(entry, "reason", "spam");
        });
    editor = moderator.fork(actor(2));
  }

  @AfterEach
  void free() {
    moderator.free();
    editor.free();
  }

  private static ObjectId map(Document doc, ObjectId obj, String key) {
    return ((AmValue.Map) doc.get(obj, key).orElseThrow()).getId();
  }

  private static List<Set<FieldWrite>> writesThrough(DocumentContext ctx, byte[] changes)
      throws InvalidAutomergeDataException {
    AutomergeFormat.validateChanges(changes, Limits.defaults(), ctx);
    return ctx.lastValidatedChanges().stream().map(ChangeHeader::writes).toList();
  }

  private Set<FieldWrite> editorChange(Consumer<Transaction> ops) throws Exception {
    return editorChange(GUARDED, ops);
  }

  private Set<FieldWrite> editorChange(Set<String> guarded, Consumer<Transaction> ops)
      throws Exception {
    ChangeHash[] before = editor.getHeads();
    DocumentContext ctx =
        DocumentContext.ofHistory(
            moderator.encodeChangesSince(new ChangeHash[0]), Limits.defaults(), guarded);
    change(editor, ops);
    List<Set<FieldWrite>> t = writesThrough(ctx, editor.encodeChangesSince(before));
    assertEquals(1, t.size());
    return t.get(0);
  }

  private static FieldPath path(String key, String entry, String field) {
    return new FieldPath(key, entry, field);
  }

  private static FieldWrite put(FieldPath p, String value) {
    return FieldWrite.put(p, value);
  }

  private static FieldWrite make(FieldPath p) {
    return new FieldWrite(p, FieldWrite.Op.MAKE, null);
  }

  private static FieldWrite delete(FieldPath p) {
    return new FieldWrite(p, FieldWrite.Op.DELETE, null);
  }

  @Test
  void aNewHiddenEntryIsMadeAndItsFieldsPutWithTheirStrings() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    Set<FieldWrite> t =
        editorChange(
            tx -> {
              ObjectId e = tx.set(hidden, P2, ObjectType.MAP);
              tx.set(e, "by", "editor");
              tx.set(e, "time", "1");
            });
    assertEquals(
        Set.of(
            make(path("hidden", P2, null)),
            put(path("hidden", P2, "by"), "editor"),
            put(path("hidden", P2, "time"), "1")),
        t);
  }

  @Test
  void anEditInsideAnExistingEntryPutsThatField() throws Exception {
    ObjectId entry = map(editor, map(editor, ObjectId.ROOT, "hidden"), P1);
    assertEquals(
        Set.of(put(path("hidden", P1, "reason"), "not spam")),
        editorChange(tx -> tx.set(entry, "reason", "not spam")));
  }

  @Test
  void theSameKeyInDifferentEntriesIsTwoPlacesAndEachStringIsKept() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    ObjectId first = map(editor, hidden, P1);
    Set<FieldWrite> t =
        editorChange(
            tx -> {
              tx.set(first, "reason", "a");
              ObjectId second = tx.set(hidden, P2, ObjectType.MAP);
              tx.set(second, "reason", "b");
              tx.set(first, "reason", "c");
            });
    assertEquals(
        Set.of(
            put(path("hidden", P1, "reason"), "a"),
            make(path("hidden", P2, null)),
            put(path("hidden", P2, "reason"), "b"),
            put(path("hidden", P1, "reason"), "c")),
        t);
  }

  @Test
  void deletingAnEntryIsADelete() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    assertEquals(
        Set.of(delete(path("hidden", P1, null))), editorChange(tx -> tx.delete(hidden, P1)));
  }

  @Test
  void deletingOrReplacingTheWholeMapWritesTheKey() throws Exception {
    assertEquals(
        Set.of(delete(FieldPath.of("hidden"))),
        editorChange(tx -> tx.delete(ObjectId.ROOT, "hidden")));
    assertEquals(
        Set.of(make(FieldPath.of("hidden")), make(path("hidden", P2, null))),
        editorChange(
            tx -> tx.set(tx.set(ObjectId.ROOT, "hidden", ObjectType.MAP), P2, ObjectType.MAP)));
  }

  @Test
  void nonStringsAndLongStringsArePutWithoutAValue() throws Exception {
    ObjectId entry = map(editor, map(editor, ObjectId.ROOT, "hidden"), P1);
    String longest = "x".repeat(FieldWrite.MAX_VALUE_CHARS);
    assertEquals(
        Set.of(
            put(path("hidden", P1, "count"), null),
            put(path("hidden", P1, "reason"), null),
            put(path("hidden", P1, "by"), longest)),
        editorChange(
            tx -> {
              tx.set(entry, "count", 3);
              tx.set(entry, "reason", longest + "y");
              tx.set(entry, "by", longest);
            }));
  }

  @Test
  void objectsMadeInTheSameChangeAreFollowedToTheirPlace() throws Exception {
    Document fresh = new Document(actor(3));
    change(
        fresh,
        tx -> {
          ObjectId hidden = tx.set(ObjectId.ROOT, "hidden", ObjectType.MAP);
          ObjectId entry = tx.set(hidden, P2, ObjectType.MAP);
          ObjectId deeper = tx.set(entry, "notes", ObjectType.MAP);
          tx.set(deeper, "x", "y");
          ObjectId list = tx.set(deeper, "list", ObjectType.LIST);
          tx.insert(list, 0, "z");
        });
    List<Set<FieldWrite>> t =
        writesThrough(
            DocumentContext.ofHistory(new byte[0], Limits.defaults(), GUARDED),
            fresh.encodeChangesSince(new ChangeHash[0]));
    // Below three keys, every write is one inside the third.
    assertEquals(
        List.of(
            Set.of(
                make(FieldPath.of("hidden")),
                make(path("hidden", P2, null)),
                make(path("hidden", P2, "notes")),
                FieldWrite.inside(path("hidden", P2, "notes")))),
        t);
    fresh.free();
  }

  @Test
  void aChangeWritingOnlyPagesWritesNothingGuarded() throws Exception {
    ObjectId pages = map(editor, ObjectId.ROOT, "pages");
    assertEquals(
        Set.of(),
        editorChange(
            tx -> {
              tx.set(pages, P2, "Second page");
              tx.delete(pages, P1);
              tx.set(ObjectId.ROOT, "name", "Renamed");
            }));
  }

  @Test
  void everyKeyGuardedRecordsEveryWrite() throws Exception {
    ObjectId pages = map(editor, ObjectId.ROOT, "pages");
    assertEquals(
        Set.of(
            put(path("pages", P2, null), "Second page"),
            delete(path("pages", P1, null)),
            put(FieldPath.of("name"), "Renamed")),
        editorChange(
            Set.of(DocumentContext.EVERY_KEY),
            tx -> {
              tx.set(pages, P2, "Second page");
              tx.delete(pages, P1);
              tx.set(ObjectId.ROOT, "name", "Renamed");
            }));
  }

  @Test
  void objectsMadeByAnEarlierChangeOfTheSameInputAreKnown() throws Exception {
    Document fresh = new Document(actor(3));
    change(fresh, tx -> tx.set(ObjectId.ROOT, "hidden", ObjectType.MAP));
    Document other = fresh.fork(actor(4));
    ObjectId hidden = map(other, ObjectId.ROOT, "hidden");
    change(other, tx -> tx.set(hidden, P1, ObjectType.MAP));
    List<Set<FieldWrite>> t =
        writesThrough(
            DocumentContext.ofHistory(new byte[0], Limits.defaults(), GUARDED),
            other.encodeChangesSince(new ChangeHash[0]));
    assertEquals(
        List.of(Set.of(make(FieldPath.of("hidden"))), Set.of(make(path("hidden", P1, null)))), t);
    fresh.free();
    other.free();
  }

  @Test
  void aWriteIntoAnObjectNotSeenMadeIsOfUnknownPlace() throws Exception {
    ChangeHash[] before = editor.getHeads();
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    change(editor, tx -> tx.set(hidden, P2, "x"));
    // A context that has not seen the moderator's change that made the hidden map.
    assertEquals(
        List.of(Set.of(FieldWrite.inside(FieldPath.UNKNOWN))),
        writesThrough(
            DocumentContext.ofHistory(new byte[0], Limits.defaults(), GUARDED),
            editor.encodeChangesSince(before)));
  }

  @Test
  void withoutGuardedKeysNothingIsRecorded() throws Exception {
    ChangeHash[] before = editor.getHeads();
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    change(editor, tx -> tx.delete(hidden, P1));
    DocumentContext ctx =
        DocumentContext.ofHistory(moderator.encodeChangesSince(new ChangeHash[0]));
    assertEquals(
        Arrays.asList((Set<FieldWrite>) null),
        writesThrough(ctx, editor.encodeChangesSince(before)));
  }

  @Test
  void manyEntriesInOneChangeAreBoundedByTheirKey() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    Set<FieldWrite> t =
        editorChange(
            tx -> {
              for (int i = 0; i < DocumentContext.MAX_WRITES + 50; i++) {
                tx.set(hidden, "p" + i, "x");
              }
            });
    assertTrue(t.size() <= DocumentContext.MAX_WRITES + 1, "size " + t.size());
    assertTrue(t.contains(FieldWrite.inside(FieldPath.of("hidden"))));
  }
}
