package org.dure.store.doc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.dure.store.StoreInternals;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  private static Journal.Entry entry(long seq, String message) {
    byte[] data = new byte[(int) (10 + seq)];
    new Random(seq).nextBytes(data);
    return new Journal.Entry(
        "doc-" + (seq % 3), seq, data, new byte[32], new byte[] {1, 2}, null, 1000 + seq, message);
  }

  @Test
  void recordsRoundTripAcrossBothFiles() throws IOException {
    try (Journal j = Journal.open(dir)) {
      j.append(entry(1, "first"));
      int old = j.rotate();
      j.append(entry(2, null));
      j.append(entry(3, "한국어 메시지"));
      assertEquals(0, old);
    }
    try (Journal j = Journal.open(dir)) {
      List<Journal.Entry> all = j.readAll();
      assertEquals(List.of(1L, 2L, 3L), all.stream().map(Journal.Entry::seq).toList());
      assertEquals("first", all.get(0).message());
      assertNull(all.get(1).message());
      assertEquals("한국어 메시지", all.get(2).message());
      assertArrayEquals(entry(3, null).data(), all.get(2).data());
      assertNull(all.get(2).author());
    }
  }

  @Test
  void aTornTailOrDamagedRecordEndsTheFileWithoutLosingWhatCameBefore() throws IOException {
    try (Journal j = Journal.open(dir)) {
      for (int i = 1; i <= 3; i++) {
        j.append(entry(i, "m" + i));
      }
    }
    Path file = dir.resolve("journal-0.log");
    // The file is mapped with room to spare: keep only its records.
    byte[] bytes = java.util.Arrays.copyOf(Files.readAllBytes(file), recordsEnd(file));
    // A write cut short by a power loss: the last record is incomplete.
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    try (Journal j = Journal.open(dir)) {
      assertEquals(List.of(1L, 2L), j.readAll().stream().map(Journal.Entry::seq).toList());
    }
    // A flipped bit in the second record: its checksum fails, the first one stays.
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
    try (Journal j = Journal.open(dir)) {
      List<Journal.Entry> read = j.readAll();
      assertTrue(read.size() < 3);
      assertEquals(1L, read.get(0).seq());
    }
  }

  /** Where the records of a journal file end (the zero-filled rest follows). */
  private static int recordsEnd(Path file) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(file));
    int pos = 0;
    while (pos + 8 <= b.capacity() && b.getInt(pos) != 0) {
      pos += 8 + b.getInt(pos);
    }
    return pos;
  }

  @Test
  void aZeroFilledRestOfTheFileReadsAsItsEnd() throws IOException {
    try (Journal j = Journal.open(dir)) {
      j.append(entry(1, "one"));
      j.append(entry(2, "two"));
    }
    Path file = dir.resolve("journal-0.log");
    assertTrue(Files.size(file) > recordsEnd(file), "mapped with room to spare");
    try (Journal j = Journal.open(dir)) {
      assertEquals(List.of(1L, 2L), j.readAll().stream().map(Journal.Entry::seq).toList());
    }
  }

  @Test
  void aClearedFileReadsAsEmptyAndTakesNewRecordsWithoutOldOnes() throws IOException {
    try (Journal j = Journal.open(dir)) {
      for (int i = 1; i <= 5; i++) {
        j.append(entry(i, "old " + i));
      }
      int old = j.rotate();
      j.append(entry(6, "other file"));
      j.clear(old);
      assertEquals(List.of(6L), j.readAll().stream().map(Journal.Entry::seq).toList());
      j.rotate();
      j.append(entry(7, "new"));
      assertEquals(List.of(7L, 6L), j.readAll().stream().map(Journal.Entry::seq).toList());
    }
  }

  @Test
  void aRecordBiggerThanTheMappingGrowsIt() throws IOException {
    byte[] big = new byte[3 * Journal.INITIAL_MAP_BYTES];
    new Random(1).nextBytes(big);
    try (Journal j = Journal.open(dir)) {
      j.append(entry(1, "small"));
      j.append(new Journal.Entry("doc", 2, big, new byte[32], new byte[32], null, 5, null));
      j.append(entry(3, "after"));
    }
    try (Journal j = Journal.open(dir)) {
      List<Journal.Entry> all = j.readAll();
      assertEquals(List.of(1L, 2L, 3L), all.stream().map(Journal.Entry::seq).toList());
      assertArrayEquals(big, all.get(1).data());
    }
  }

  @Test
  void garbageNeverThrowsAndNeverAllocatesMoreThanTheFile() throws IOException {
    Random rnd = new Random(5);
    for (int i = 0; i < 500; i++) {
      byte[] junk = new byte[rnd.nextInt(200)];
      rnd.nextBytes(junk);
      if (junk.length >= 4 && rnd.nextBoolean()) {
        junk[0] = 0x7f; // a huge declared length
      }
      Files.write(dir.resolve("journal-0.log"), junk);
      Files.write(dir.resolve("journal-1.log"), new byte[0]);
      try (Journal j = Journal.open(dir)) {
        j.readAll();
      }
    }
  }

  @Test
  void aSnapshotNotYetWrittenWhenTheProcessDiesIsNotNeeded() {
    WikiStore s =
        WikiStore.open(
            dir,
            StoreOptions.defaults()
                .withJournalFlushInterval(Duration.ofHours(1))
                .withIndexDelay(Duration.ofHours(1)));
    PageId page = s.createPage(s.defaultSpace().id(), "C", "", Optional.empty()).id();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 3 * DocumentRepository.COMPACT_MIN_CHANGES; i++) {
      s.splice(page, expected.length(), 0, "e" + i + ";");
      expected.append("e").append(i).append(';');
    }
    StoreInternals.abandon(s); // edits in the journal, the compaction's snapshots lost
    try (WikiStore again = WikiStore.open(dir)) {
      assertEquals(expected.toString(), again.page(page).body());
      assertEquals(
          3 * DocumentRepository.COMPACT_MIN_CHANGES + 1, again.history(page, 0, 1000).size());
      again.splice(page, 0, 0, ">");
    }
    try (WikiStore again = WikiStore.open(dir)) {
      assertEquals(">" + expected, again.page(page).body());
      assertEquals("ok", again.integrityCheck());
    }
  }

  @Test
  void compactionsWrittenWithTheJournalKeepEveryVersion() {
    PageId page;
    StringBuilder expected = new StringBuilder();
    try (WikiStore s =
        WikiStore.open(
            dir, StoreOptions.defaults().withJournalFlushInterval(Duration.ofMillis(1)))) {
      page = s.createPage(s.defaultSpace().id(), "C", "", Optional.empty()).id();
      for (int i = 0; i < 5 * DocumentRepository.COMPACT_MIN_CHANGES; i++) {
        s.splice(page, expected.length(), 0, "e" + i + ";");
        expected.append("e").append(i).append(';');
      }
    }
    try (WikiStore again = WikiStore.open(dir)) {
      assertEquals(0, StoreInternals.documents(again).recoveredEdits());
      assertEquals(expected.toString(), again.page(page).body());
      List<Version> versions = again.history(page, 0, 1000);
      assertEquals(5 * DocumentRepository.COMPACT_MIN_CHANGES + 1, versions.size());
      assertEquals("e0;e1;", again.pageAt(page, 3).body());
      assertEquals("ok", again.integrityCheck());
    }
  }

  @Test
  void editsLeftInTheJournalByACrashAreAppliedWhenTheStoreOpens() {
    // A writer (and indexer) that would not run for an hour: the edits stay in the journal.
    WikiStore s =
        WikiStore.open(
            dir,
            StoreOptions.defaults()
                .withJournalFlushInterval(Duration.ofHours(1))
                .withIndexDelay(Duration.ofHours(1)));
    PageId page = s.createPage(s.defaultSpace().id(), "J", "", Optional.empty()).id();
    s.splice(page, 0, 0, "hello", Optional.of("greeting"));
    s.splice(page, 5, 0, " world", Optional.of("more"));
    StoreInternals.abandon(s); // the writer has not run yet: both edits are only in the journal
    try (WikiStore again = WikiStore.open(dir)) {
      assertEquals(2, StoreInternals.documents(again).recoveredEdits());
      assertEquals("hello world", again.page(page).body());
      assertEquals(
          List.of("more", "greeting", "Created page"),
          again.history(page, 0, 10).stream().map(v -> v.message().orElse("")).toList());
      assertEquals("ok", again.integrityCheck());
    }
  }
}
