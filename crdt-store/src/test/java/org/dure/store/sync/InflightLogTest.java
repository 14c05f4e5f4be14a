package org.dure.store.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dure.store.doc.Heads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InflightLogTest {
  @TempDir Path dir;

  private List<InflightLog.Entry> active() throws Exception {
    List<InflightLog.Entry> out = new ArrayList<>();
    for (Path f : new InflightLog(dir).leftovers()) {
      InflightLog.Entry e = InflightLog.read(f);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static InflightLog.Entry message(String peer, int size) {
    byte[] m = new byte[size];
    java.util.Arrays.fill(m, (byte) size);
    return new InflightLog.Entry(
        InflightLog.Kind.SYNC_MESSAGE,
        peer,
        "doc",
        Heads.sha256(m),
        List.of(new InflightLog.ChangeId(new byte[32], new byte[] {7, 7}, 3)),
        m);
  }

  @Test
  void aRecordNamesTheWorkUntilItEndsAndNestedWorkGetsItsOwn() throws Exception {
    InflightLog log = new InflightLog(dir);
    Path outer = log.begin(message("A", 5000));
    assertEquals(List.of("A"), active().stream().map(InflightLog.Entry::peer).toList());
    Path inner = log.begin(InflightLog.Entry.storedDocument("other"));
    assertEquals(2, active().size());
    assertThrows(IllegalStateException.class, () -> log.end(outer)); // out of turn
    log.end(inner);
    log.end(outer);
    assertEquals(List.of(), active());
    // The same file again, with a shorter record over the longer one: read back exactly.
    Path again = log.begin(message("B", 10));
    assertEquals(outer, again);
    InflightLog.Entry e = active().get(0);
    assertEquals("B", e.peer());
    assertArrayEquals(message("B", 10).input(), e.input());
    assertEquals(3, e.changes().get(0).seq());
    assertArrayEquals(new byte[] {7, 7}, e.changes().get(0).actor());
    // A process that dies leaves it active; one that closes the log leaves nothing.
    log.close();
    assertEquals(List.of(), new InflightLog(dir).leftovers());
  }

  @Test
  void aLogNeverCountsItsOwnRecordsAsLeftoversSoForgettingThemLosesNoLaterRecord()
      throws Exception {
    new InflightLog(dir).begin(message("EARLIER", 10)); // a process that died
    InflightLog log = new InflightLog(dir);
    // A lane loads a document before recovery looks at what the earlier process left.
    log.end(log.begin(InflightLog.Entry.storedDocument("loaded-at-open")));
    List<Path> left = log.leftovers();
    assertEquals(1, left.size());
    assertEquals("EARLIER", InflightLog.read(left.get(0)).peer());
    for (Path f : left) {
      InflightLog.forget(f);
    }
    // The same lane's next record, in the file it made, is still seen.
    log.begin(message("A", 10));
    assertEquals(List.of("A"), active().stream().map(InflightLog.Entry::peer).toList());
  }

  @Test
  void anInputAboveTheLimitIsRecordedWithoutItsBytes() throws Exception {
    InflightLog log = new InflightLog(dir);
    byte[] big = new byte[InflightLog.MAX_KEPT_BYTES + 1];
    log.begin(InflightLog.Entry.snapshot("P", "doc", Heads.sha256(big), big));
    InflightLog.Entry e = active().get(0);
    assertNull(e.input());
    assertArrayEquals(Heads.sha256(big), e.sha());
  }
}
