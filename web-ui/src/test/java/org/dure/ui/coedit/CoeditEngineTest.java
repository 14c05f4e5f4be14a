package org.dure.ui.coedit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void anUpdateOnAnOldVersionIsRefusedUntilTheEditorHasCaughtUp() {
    PageSummary p = page("abc");
    CoeditEngine engine = engine(p);
    store.splice(p.id(), 0, 0, "X");
    assertTrue(engine.catchUp());
    List<CoeditEngine.Update> remote = engine.takeUnsent();
    assertEquals("Xabc", apply("abc", remote));
    assertEquals(CoeditEngine.PAGE, remote.get(0).clientId());

    assertFalse(engine.push(0, List.of(update("me", 3, new CoeditEngine.Edit(3, 3, "d")))));
    assertEquals("Xabc", store.page(p.id()).body());
    // rebased on version 1 by the browser, it is taken
    assertTrue(engine.push(1, List.of(update("me", 4, new CoeditEngine.Edit(4, 4, "d")))));
    assertEquals("Xabcd", store.page(p.id()).body());
  }

  @Test
  void anEditMadeBeforeAConcurrentChangeArrivedWaitsUntilTheEditorHasIt() {
    PageSummary p = page("first\nsecond\n");
    CoeditEngine engine = engine(p);
    // Someone else deletes and types at the start, but the engine has not been told yet.
    store.splice(p.id(), 0, 5, "0th");
    // The editor's update is of version 0, which the engine still is at, but the page is not:
    // refused, nothing stored.
    assertFalse(engine.push(0, List.of(update("me", 13, new CoeditEngine.Edit(12, 12, "!")))));
    assertEquals("0th\nsecond\n", store.page(p.id()).body());

    assertTrue(engine.catchUp());
    List<CoeditEngine.Update> out = engine.takeUnsent();
    assertEquals("0th\nsecond\n", apply("first\nsecond\n", out));
    // moved over the change by the browser, it is taken where it was typed
    assertTrue(engine.push(1, List.of(update("me", 11, new CoeditEngine.Edit(10, 10, "!")))));
    assertEquals("0th\nsecond!\n", store.page(p.id()).body());
    assertEquals("0th\nsecond!\n", engine.text());
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
