package org.dure.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.dure.bench.EditingTrace.Edit;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditingTraceTest {
  @TempDir Path dir;

  @Test
  void parsesEditsWithEscapesAndOptionalText() {
    List<Edit> edits = EditingTrace.parse("[[0,0,\"a\\\\b\\\"c\\n\"], [2, 1], [1,0,\"\\u00e9\"]]");
    assertEquals(
        List.of(new Edit(0, 0, "a\\b\"c\n"), new Edit(2, 1, ""), new Edit(1, 0, "é")), edits);
    assertEquals("aé\\\"c\n", EditingTrace.apply(edits));
    assertThrows(IllegalArgumentException.class, () -> EditingTrace.parse("[[0,0,\"x\""));
  }

  @Test
  void theStoreReplaysAPrefixOfTheRealTraceToTheSameText() throws Exception {
    Path trace = EditingTrace.dataDir().resolve("editing-trace.json.gz");
    assumeTrue(Files.isReadable(trace), "the shared editing trace is not present");
    List<Edit> edits = EditingTrace.load(trace).subList(0, 3000);
    try (WikiStore store = WikiStore.open(dir)) {
      PageId page = store.createPage(store.defaultSpace().id(), "Trace", "", Optional.empty()).id();
      for (Edit e : edits) {
        store.splice(page, e.pos(), e.deleteCount(), e.text());
      }
      assertEquals(EditingTrace.apply(edits), store.page(page).body());
    }
    try (WikiStore store = WikiStore.open(dir)) {
      PageId page = store.pages(store.defaultSpace().id(), 0, 1).get(0).id();
      assertEquals(EditingTrace.apply(edits), store.page(page).body());
    }
  }
}
