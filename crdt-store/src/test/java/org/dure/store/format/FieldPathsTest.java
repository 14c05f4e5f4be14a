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

/** The places under guarded keys that each validated change writes ({@link FieldPath}). */
class FieldPathsTest {
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

  private static List<Set<FieldPath>> touchedThrough(DocumentContext ctx, byte[] changes)
      throws InvalidAutomergeDataException {
    AutomergeFormat.validateChanges(changes, Limits.defaults(), ctx);
    return ctx.lastValidatedChanges().stream().map(ChangeHeader::touched).toList();
  }

  private Set<FieldPath> editorChange(Consumer<Transaction> ops) throws Exception {
    ChangeHash[] before = editor.getHeads();
    DocumentContext ctx =
        DocumentContext.ofHistory(
            moderator.encodeChangesSince(new ChangeHash[0]), Limits.defaults(), GUARDED);
    change(editor, ops);
    List<Set<FieldPath>> t = touchedThrough(ctx, editor.encodeChangesSince(before));
    assertEquals(1, t.size());
    return t.get(0);
  }

  private static FieldPath path(String key, String entry, String field) {
    return new FieldPath(key, entry, field);
  }

  @Test
  void aNewHiddenEntryTouchesTheEntryAndItsFields() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    Set<FieldPath> t =
        editorChange(
            tx -> {
              ObjectId e = tx.set(hidden, P2, ObjectType.MAP);
              tx.set(e, "by", "editor");
              tx.set(e, "time", "1");
            });
    assertEquals(
        Set.of(path("hidden", P2, null), path("hidden", P2, "by"), path("hidden", P2, "time")), t);
  }

  @Test
  void anEditInsideAnExistingEntryTouchesThatField() throws Exception {
    ObjectId entry = map(editor, map(editor, ObjectId.ROOT, "hidden"), P1);
    assertEquals(
        Set.of(path("hidden", P1, "reason")),
        editorChange(tx -> tx.set(entry, "reason", "not spam")));
  }

  @Test
  void theSameKeyInDifferentEntriesIsTwoPlaces() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    ObjectId first = map(editor, hidden, P1);
    Set<FieldPath> t =
        editorChange(
            tx -> {
              tx.set(first, "reason", "a");
              ObjectId second = tx.set(hidden, P2, ObjectType.MAP);
              tx.set(second, "reason", "b");
              tx.set(first, "reason", "c");
            });
    assertEquals(
        Set.of(
            path("hidden", P1, "reason"), path("hidden", P2, null), path("hidden", P2, "reason")),
        t);
  }

  @Test
  void deletingAnEntryTouchesIt() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    assertEquals(Set.of(path("hidden", P1, null)), editorChange(tx -> tx.delete(hidden, P1)));
  }

  @Test
  void deletingOrReplacingTheWholeMapTouchesTheKey() throws Exception {
    assertEquals(
        Set.of(FieldPath.of("hidden")), editorChange(tx -> tx.delete(ObjectId.ROOT, "hidden")));
    assertEquals(
        Set.of(FieldPath.of("hidden"), path("hidden", P2, null)),
        editorChange(
            tx -> tx.set(tx.set(ObjectId.ROOT, "hidden", ObjectType.MAP), P2, ObjectType.MAP)));
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
    List<Set<FieldPath>> t =
        touchedThrough(
            DocumentContext.ofHistory(new byte[0], Limits.defaults(), GUARDED),
            fresh.encodeChangesSince(new ChangeHash[0]));
    assertEquals(
        List.of(
            Set.of(FieldPath.of("hidden"), path("hidden", P2, null), path("hidden", P2, "notes"))),
        t);
    fresh.free();
  }

  @Test
  void aChangeTouchingOnlyPagesTouchesNothingGuarded() throws Exception {
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
  void objectsMadeByAnEarlierChangeOfTheSameInputAreKnown() throws Exception {
    Document fresh = new Document(actor(3));
    change(fresh, tx -> tx.set(ObjectId.ROOT, "hidden", ObjectType.MAP));
    Document other = fresh.fork(actor(4));
    ObjectId hidden = map(other, ObjectId.ROOT, "hidden");
    change(other, tx -> tx.set(hidden, P1, ObjectType.MAP));
    List<Set<FieldPath>> t =
        touchedThrough(
            DocumentContext.ofHistory(new byte[0], Limits.defaults(), GUARDED),
            other.encodeChangesSince(new ChangeHash[0]));
    assertEquals(List.of(Set.of(FieldPath.of("hidden")), Set.of(path("hidden", P1, null))), t);
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
        List.of(Set.of(FieldPath.UNKNOWN)),
        touchedThrough(
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
        Arrays.asList((Set<FieldPath>) null),
        touchedThrough(ctx, editor.encodeChangesSince(before)));
  }

  @Test
  void manyEntriesInOneChangeAreBoundedByTheirKey() throws Exception {
    ObjectId hidden = map(editor, ObjectId.ROOT, "hidden");
    Set<FieldPath> t =
        editorChange(
            tx -> {
              for (int i = 0; i < DocumentContext.MAX_TOUCHED + 50; i++) {
                tx.set(hidden, "p" + i, "x");
              }
            });
    assertTrue(t.size() <= DocumentContext.MAX_TOUCHED + 1, "size " + t.size());
    assertTrue(t.contains(FieldPath.of("hidden")));
  }
}
