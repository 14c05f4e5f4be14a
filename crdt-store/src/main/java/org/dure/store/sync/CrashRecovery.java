package org.dure.store.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dure.identity.PeerId;
import org.dure.store.doc.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals, at start-up and before any document is loaded, with the native work a process that died
 * left recorded ({@link InflightLog}).
 *
 * <p>Only if the launcher saw the JVM die in native code (it leaves {@link #NATIVE_CRASH_MARKER} in
 * the data directory) is anything blamed: a process that was killed, lost power or was stopped by
 * its user leaves records too, and nobody did anything wrong then. After a crash in native code:
 *
 * <ul>
 *   <li>If one piece of work was in native code, it crashed it. If several were (one per lane),
 *       each is replayed alone in a child process ({@link NativeSandbox#replay}); those that crash
 *       it are to blame, and the others not. If none does, nobody is blamed: their inputs will be
 *       sent again, and if one crashes Dure again it is likely to be alone in native code then.
 *   <li>A stored document that crashed while loading is marked damaged, as when it fails its
 *       checksum: it stays on disk untouched, is shown as damaged, and the rest works.
 *   <li>A peer's input that crashed is quarantined by its bytes' hash, and so are the changes that
 *       crashed native code when applied alone (found by the replay; all the input's changes if it
 *       could not be replayed), so that the same change relayed by someone else inside another
 *       message is refused too ({@link Quarantine}). Its sender is blocked.
 * </ul>
 */
final class CrashRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);

  /**
   * The file the launcher ({@code ./dure}, {@code dure.cmd}) creates in the data directory when the
   * JVM died in native code (abort or segmentation fault).
   */
  static final String NATIVE_CRASH_MARKER = "native-crash";

  /** What recovery needs from the store. */
  interface Store {
    void blockPeer(PeerId peer, String reason);

    /** Marks a stored document damaged: kept on disk as it is, shown as damaged. */
    void markDamaged(String docId, String reason);

    /** A stored document's snapshot and changes, as the store loads them; null if none. */
    byte[] storedBytes(String docId);
  }

  private CrashRecovery() {}

  /**
   * Blames what crashed the last process, if it died in native code ({@code marker} exists), and
   * forgets the records and the marker.
   */
  static void recover(
      Path marker, InflightLog log, Quarantine quarantine, NativeSandbox sandbox, Store store)
      throws IOException {
    List<Path> files = log.leftovers();
    boolean nativeCrash = Files.exists(marker);
    List<InflightLog.Entry> entries = new ArrayList<>();
    for (Path f : files) {
      InflightLog.Entry e = InflightLog.read(f);
      if (e != null) {
        entries.add(e);
      }
    }
    if (!nativeCrash) {
      for (InflightLog.Entry e : entries) {
        LOG.warn(
            "Dure stopped, but not by a crash in native code, during native work on {}: nobody is"
                + " blamed (a peer's input is asked for again)",
            e.describe());
      }
    } else if (entries.isEmpty()) {
      LOG.warn("Dure crashed in native code while no input or stored document was being processed");
    } else {
      blame(entries, quarantine, sandbox, store);
    }
    for (Path f : files) {
      InflightLog.forget(f);
    }
    Files.deleteIfExists(marker);
  }

  private static void blame(
      List<InflightLog.Entry> entries, Quarantine quarantine, NativeSandbox sandbox, Store store) {
    boolean alone = entries.size() == 1;
    if (!alone) {
      LOG.warn(
          "Dure crashed in native code with {} inputs in native code at once; replaying each alone"
              + " in a child process to find the one that crashes it",
          entries.size());
    }
    int blamed = 0;
    for (InflightLog.Entry e : entries) {
      NativeSandbox.Replay r = replay(e, sandbox, store);
      boolean crashed = crashes(e, r);
      LOG.warn(
          "Replayed {} alone: {}",
          e.describe(),
          crashed
              ? "it crashes native code"
              : "it does not crash native code (" + r.outcome().name().toLowerCase() + ")");
      if (crashed || alone) {
        blamed++;
        punish(e, r, alone && !crashed, quarantine, store);
      }
    }
    if (blamed == 0) {
      LOG.warn(
          "None of them crashes native code when replayed alone: nobody is blamed, and the inputs"
              + " will be asked for again");
    }
  }

  private static NativeSandbox.Replay replay(
      InflightLog.Entry e, NativeSandbox sandbox, Store store) {
    try {
      return switch (e.kind()) {
        case STORED_DOCUMENT -> {
          byte[] stored = store.storedBytes(e.docId());
          yield stored == null ? NativeSandbox.Replay.UNKNOWN : sandbox.replay(stored, true, null);
        }
        case SNAPSHOT ->
            e.input() == null
                ? NativeSandbox.Replay.UNKNOWN
                : sandbox.replay(e.input(), false, null);
        case SYNC_MESSAGE -> {
          byte[] stored = e.input() == null ? null : store.storedBytes(e.docId());
          yield stored == null
              ? NativeSandbox.Replay.UNKNOWN
              : sandbox.replay(stored, true, e.input());
        }
      };
    } catch (RuntimeException ex) {
      LOG.warn("Cannot replay {}: {}", e.describe(), ex.toString());
      return NativeSandbox.Replay.UNKNOWN;
    }
  }

  /** Whether replaying {@code e} showed that it crashes native code. */
  private static boolean crashes(InflightLog.Entry e, NativeSandbox.Replay r) {
    return switch (e.kind()) {
      case STORED_DOCUMENT, SNAPSHOT -> r.outcome() == NativeSandbox.Outcome.CRASHED_LOADING;
      case SYNC_MESSAGE ->
          r.outcome() == NativeSandbox.Outcome.CRASHED_APPLYING_CHANGE
              || r.outcome() == NativeSandbox.Outcome.CRASHED_RECEIVING;
    };
  }

  /**
   * Blames {@code e}; {@code unproven}: it was alone in native code but its replay did not crash
   * (then all its changes are quarantined, as the guilty one is not known).
   */
  private static void punish(
      InflightLog.Entry e,
      NativeSandbox.Replay r,
      boolean unproven,
      Quarantine quarantine,
      Store store) {
    if (e.kind() == InflightLog.Kind.STORED_DOCUMENT) {
      String reason = "Automerge crashed Dure while loading it (it is kept on disk as it was)";
      LOG.warn("Quarantining the stored document {}: {}", e.docId(), reason);
      store.markDamaged(e.docId(), reason);
      return;
    }
    String reason =
        "Dure crashed in native code on "
            + e.kind().label
            + " from this peer (for "
            + e.docId()
            + ")"
            + (unproven ? ", the only input in native code then" : "");
    List<InflightLog.ChangeId> guilty = e.changes();
    if (r.outcome() == NativeSandbox.Outcome.CRASHED_APPLYING_CHANGE
        && r.change() >= 0
        && r.change() < e.changes().size()) {
      guilty = List.of(e.changes().get(r.change())); // the one that crashes it
    } else if (r.outcome() == NativeSandbox.Outcome.CRASHED_RECEIVING) {
      guilty = List.of(); // its changes apply alone: the message itself crashes it
    }
    LOG.warn(
        "Quarantining {} ({} of its changes by hash) and blocking {}: {}",
        e.describe(),
        guilty.size(),
        e.peer(),
        reason);
    quarantine.quarantineInput(e.sha(), e.peer(), e.docId(), e.kind().label, reason);
    quarantine.quarantineChanges(guilty, e.peer(), e.docId(), reason);
    // The log holds the text of the authenticated peer that sent the input.
    Fields.peerId(e.peer())
        .ifPresentOrElse(
            p -> store.blockPeer(p, reason),
            () ->
                LOG.warn(
                    "The input in flight names no valid peer ID ({}); none blocked", e.peer()));
  }
}
