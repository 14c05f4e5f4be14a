package org.dure.ui.coedit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dure.identity.Identity;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoeditEngineTest {
  private final WikiStore store = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults());

  @AfterEach
  void close() {
    store.close();
  }

  private PageSummary page(String body) {
    return store.createPage(store.defaultSpace().id(), "Notes", body, Optional.empty());
  }

  private CoeditEngine engine(PageSummary p) {
    return new CoeditEngine(store.wiki().liveEdits(), p.id());
  }

  private static CoeditEngine.Update update(String client, int length, CoeditEngine.Edit... e) {
    return new CoeditEngine.Update(client, length, List.of(e));
  }

  /** What the browser shows after applying {@code updates} (as the collab extension does). */
  private static String apply(String text, List<CoeditEngine.Update> updates) {
    StringBuilder t = new StringBuilder(text);
    for (CoeditEngine.Update u : updates) {
      assertEquals(t.length(), u.length());
      for (CoeditEngine.Edit e : u.edits()) {
        t.replace(e.from(), e.to(), e.insert());
      }
    }
    return t.toString();
  }

  @Test
  void theEditorsUpdatesAreStoredAsTheyComeAndEchoed() {
    PageSummary p = page("hello");
    CoeditEngine engine = engine(p);

    CoeditEngine.Update typed = update("me", 5, new CoeditEngine.Edit(5, 5, " world"));
    assertTrue(engine.push(0, List.of(typed)));

    assertEquals("hello world", store.page(p.id()).body());
    assertEquals(1, engine.version());
    // the echo confirms the editor's own update
    assertEquals(List.of(typed), engine.takeUnsent());
    assertTrue(engine.catchUp());
    assertTrue(engine.takeUnsent().isEmpty(), "its own change does not come back as a patch");
  }

  @Test
  void anUpdateOnAnOldVersionIsMovedOverWhatChangedSince() {
    PageSummary p = page("abc");
    CoeditEngine engine = engine(p);
    store.splice(p.id(), 0, 0, "X");
    assertTrue(engine.catchUp());
    List<CoeditEngine.Update> remote = engine.takeUnsent();
    assertEquals("Xabc", apply("abc", remote));
    assertEquals(CoeditEngine.PAGE, remote.get(0).clientId());

    // made on version 0, before the editor had the X: taken, where it was typed
    CoeditEngine.Update typed = update("me", 3, new CoeditEngine.Edit(3, 3, "d"));
    assertTrue(engine.push(0, List.of(typed)));
    assertEquals("Xabcd", store.page(p.id()).body());
    assertEquals("Xabcd", engine.text());
    assertEquals(2, engine.version());
    // the confirmation is the update as moved, on the text the editor has after the X
    assertEquals(List.of(update("me", 4, new CoeditEngine.Edit(4, 4, "d"))), engine.takeUnsent());
  }

  @Test
  void anEditMadeBeforeAConcurrentChangeArrivedIsMovedOverIt() {
    PageSummary p = page("first\nsecond\n");
    CoeditEngine engine = engine(p);
    // Someone else deletes and types at the start, but the engine has not been told yet.
    store.splice(p.id(), 0, 5, "0th");
    // The editor's update is of version 0, which the engine still is at, but the page is not:
    // the engine takes the change in and moves the update over it.
    assertTrue(engine.push(0, List.of(update("me", 13, new CoeditEngine.Edit(12, 12, "!")))));
    assertEquals("0th\nsecond!\n", store.page(p.id()).body());
    assertEquals("0th\nsecond!\n", engine.text());
    List<CoeditEngine.Update> out = engine.takeUnsent();
    // first what changed, then the confirmation, as the editor takes them in
    assertEquals(CoeditEngine.PAGE, out.get(0).clientId());
    assertEquals(List.of(new CoeditEngine.Edit(10, 10, "!")), out.get(1).edits());
    assertEquals("0th\nsecond!\n", apply("first\nsecond\n", out));
  }

  /**
   * Where an edit lands beside another made at the same place is up to the editor (CodeMirror's
   * tie-breaking): the engine refuses it, stores nothing, and takes it once moved.
   */
  @Test
  void anUpdateTouchingAChangeItDidNotSeeIsRefusedUntilTheEditorHasMovedIt() {
    PageSummary p = page("abc");
    CoeditEngine engine = engine(p);
    store.splice(p.id(), 1, 1, "B"); // abc -> aBc
    assertTrue(engine.catchUp());
    engine.takeUnsent();

    // at the start of the friend's edit, at its end, inside it
    for (CoeditEngine.Edit e :
        List.of(
            new CoeditEngine.Edit(1, 1, "x"),
            new CoeditEngine.Edit(2, 2, "x"),
            new CoeditEngine.Edit(0, 3, ""))) {
      assertFalse(engine.push(0, List.of(update("me", 3, e))), e.toString());
      assertEquals("aBc", store.page(p.id()).body());
      assertTrue(engine.takeUnsent().isEmpty());
    }
    // moved by the browser (after the B), on version 1: taken
    assertTrue(engine.push(1, List.of(update("me", 3, new CoeditEngine.Edit(2, 2, "x")))));
    assertEquals("aBxc", store.page(p.id()).body());
  }

  /** Of several updates, those before the first that touches are taken; the rest refused. */
  @Test
  void ofAPushTheUpdatesBeforeOneThatTouchesAreTaken() {
    PageSummary p = page("0123456789");
    CoeditEngine engine = engine(p);
    store.splice(p.id(), 5, 0, "F");
    List<CoeditEngine.Update> typed =
        List.of(
            update("me", 10, new CoeditEngine.Edit(8, 8, "a")),
            update("me", 11, new CoeditEngine.Edit(5, 5, "b")),
            update("me", 12, new CoeditEngine.Edit(0, 0, "c")));
    assertFalse(engine.push(0, typed));
    assertEquals("01234F567a89", store.page(p.id()).body());
    List<CoeditEngine.Update> out = engine.takeUnsent();
    assertEquals(2, out.size());
    assertEquals(CoeditEngine.PAGE, out.get(0).clientId());
    assertEquals(List.of(update("me", 11, new CoeditEngine.Edit(9, 9, "a"))), out.subList(1, 2));
    // the browser moves the rest over the F itself and sends it on version 2
    assertTrue(
        engine.push(
            2,
            List.of(
                update("me", 12, new CoeditEngine.Edit(6, 6, "b")),
                update("me", 13, new CoeditEngine.Edit(0, 0, "c")))));
    assertEquals("c01234Fb567a89", store.page(p.id()).body());
  }

  @Test
  void aPushOnAVersionTheEngineNoLongerHoldsIsRefused() {
    PageSummary p = page("");
    CoeditEngine engine = engine(p);
    for (int i = 0; i <= CoeditEngine.MAX_HISTORY; i++) {
      store.splice(p.id(), i, 0, "x");
      assertTrue(engine.catchUp());
    }
    assertFalse(engine.push(0, List.of(update("me", 0, new CoeditEngine.Edit(0, 0, "y")))));
    assertEquals("x".repeat(CoeditEngine.MAX_HISTORY + 1), store.page(p.id()).body());
    // on a version it still holds, it is moved over the rest
    assertTrue(engine.push(2, List.of(update("me", 2, new CoeditEngine.Edit(0, 0, "y")))));
    assertEquals("y" + "x".repeat(CoeditEngine.MAX_HISTORY + 1), store.page(p.id()).body());
    // and on one ahead of the engine's, refused
    assertFalse(engine.push(engine.version() + 1, List.of()));
  }

  /** Moving costs (edits pushed) x (edits moved over): a push past the bound is refused. */
  @Test
  void aPushTooLargeToMoveIsRefusedAndTheEditorMovesIt() {
    PageSummary p = page("x".repeat(3_001));
    CoeditEngine engine = engine(p);
    for (int i = 0; i < 1_500; i++) {
      store.splice(p.id(), i, 1, ""); // every second x goes, one change each
    }
    assertTrue(engine.catchUp());
    List<CoeditEngine.Update> typed = new ArrayList<>();
    for (int i = 0; i < LiveEditor.MAX_PUSH; i++) {
      typed.add(update("me", 3_001 + i, new CoeditEngine.Edit(3_001 + i, 3_001 + i, "y")));
    }
    // 1,000 edits over 1,500: more than MAX_MOVE_WORK pairs
    assertFalse(engine.push(0, typed));
    assertEquals("x".repeat(1_501), store.page(p.id()).body());
    // moved by the browser, on the engine's version, it is taken
    typed.clear();
    for (int i = 0; i < LiveEditor.MAX_PUSH; i++) {
      typed.add(update("me", 1_501 + i, new CoeditEngine.Edit(1_501 + i, 1_501 + i, "y")));
    }
    assertTrue(engine.push(engine.version(), typed));
    assertEquals("x".repeat(1_501) + "y".repeat(1_000), store.page(p.id()).body());
  }

  /** A batch of keystrokes is one write to the journal and one change to sync, not one each. */
  @Test
  void aPushOfSeveralUpdatesIsOneChangeOfThePage() {
    PageSummary p = page("ab");
    CoeditEngine engine = engine(p);
    long before = store.page(p.id()).version();
    List<CoeditEngine.Update> typed =
        List.of(
            update("me", 2, new CoeditEngine.Edit(2, 2, "c")),
            update("me", 3, new CoeditEngine.Edit(3, 3, "d")),
            update("me", 4, new CoeditEngine.Edit(0, 1, "")));
    assertTrue(engine.push(0, typed));
    assertEquals("bcd", store.page(p.id()).body());
    assertEquals(before + 1, store.page(p.id()).version());
    // the editor still counts them one by one
    assertEquals(3, engine.version());
    assertEquals(typed, engine.takeUnsent());
  }

  @Test
  void browserPositionsAreUtf16AndTheStoresAreCodePoints() {
    PageSummary p = page("a😀b");
    CoeditEngine engine = engine(p);
    // after the emoji is UTF-16 unit 3, code point 2
    assertTrue(engine.push(0, List.of(update("me", 4, new CoeditEngine.Edit(3, 3, "x")))));
    assertEquals("a😀xb", store.page(p.id()).body());
    engine.takeUnsent();

    store.splice(p.id(), 3, 0, "🌱"); // code point 3: after the x
    assertTrue(engine.catchUp());
    List<CoeditEngine.Update> out = engine.takeUnsent();
    assertEquals(List.of(new CoeditEngine.Edit(4, 4, "🌱")), out.get(0).edits());
    assertEquals("a😀x🌱b", apply("a😀xb", out));
  }

  @Test
  void anEditThatDoesNotFitIsRefusedAndStoresNothing() {
    PageSummary p = page("a😀b");
    CoeditEngine engine = engine(p);
    long version = store.page(p.id()).version();

    assertThrows(
        IllegalArgumentException.class,
        () -> engine.push(0, List.of(update("me", 4, new CoeditEngine.Edit(2, 2, "x")))));
    assertThrows(
        IllegalArgumentException.class,
        () -> engine.push(0, List.of(update("me", 4, new CoeditEngine.Edit(3, 9, "")))));
    assertThrows(
        IllegalArgumentException.class,
        () -> engine.push(0, List.of(update("me", 7, new CoeditEngine.Edit(0, 0, "x")))));
    assertEquals(version, store.page(p.id()).version());
    assertEquals("a😀b", store.page(p.id()).body());
  }

  @Test
  void aPushThatIsNotTheWireFormatIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> LiveEditor.parse("{"));
    assertThrows(IllegalArgumentException.class, () -> LiveEditor.parse("{\"c\":1}"));
    assertThrows(IllegalArgumentException.class, () -> LiveEditor.parse("[{\"c\":\"x\",\"l\":1}]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> LiveEditor.parse("[{\"c\":\"x\",\"l\":1,\"s\":[[0,\"a\",\"b\"]]}]"));
    String many = "[" + "{\"c\":\"x\",\"l\":0,\"s\":[]},".repeat(LiveEditor.MAX_PUSH) + "1]";
    assertThrows(IllegalArgumentException.class, () -> LiveEditor.parse(many));
    assertEquals(
        List.of(update("x", 2, new CoeditEngine.Edit(0, 1, "é"))),
        LiveEditor.parse("[{\"c\":\"x\",\"l\":2,\"s\":[[0,1,\"é\"]]}]"));
  }
}
