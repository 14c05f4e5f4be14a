package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's contract on a store in a file, whose edits go through the journal; and what only a
 * file keeps: everything after reopening, and journalled edits after a crash.
 */
class SqliteDocumentStoreTest extends DocumentStoreContract {
  @TempDir Path dir;

  @Override
  DocumentStore openStore(Sql.OnEdit onEdit) {
    // A long flush interval: journalled edits stay in the journal until something reads.
    return DocumentStore.open(dir.resolve("test.db"), Duration.ofMinutes(10), SCHEMA, onEdit);
  }

  private void type(String id, String text) {
    for (int i = 0; i < text.length(); i++) {
      int pos = i;
      String c = text.substring(i, i + 1);
      docs.withDocument(
          id,
          live ->
              docs.commitJournalled(
                  live,
                  null,
                  tx -> tx.spliceText(body(live), pos, 0, c),
                  docs.meta(Optional.empty())));
    }
  }

  @Test
  void everythingIsThereAfterReopening() {
    create("a", "");
    type("a", "kept");
    docs.close();
    docs = openDocuments();
    assertEquals("kept", text("a"));
    assertEquals(5, queryLong("SELECT last_seq FROM documents WHERE id = ?", "a"));
    assertEquals(0, docs.recoveredEdits(), "a clean close leaves nothing in the journal");
  }

  @Test
  void journalledEditsOutliveACrash() {
    create("a", "");
    type("a", "typed");
    docs.abandon(); // the writer has not run: the edits are only in the journal
    docs = openDocuments();
    assertEquals(5, docs.recoveredEdits());
    assertEquals("typed", text("a"));
    assertTrue(queryLong("SELECT edited FROM notes WHERE id = ?", "a") > 0, "the hook ran");
    assertEquals("ok", docs.integrityCheck());
  }
}
