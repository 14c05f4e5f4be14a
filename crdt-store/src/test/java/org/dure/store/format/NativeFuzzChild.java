package org.dure.store.format;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.automerge.Document;
import org.automerge.SyncState;

/**
 * Child JVM of {@link AutomergeFormatNativeFuzzTest}: hands inputs that passed validation to
 * Automerge's native code. Prints {@code START i} before and {@code OK i} after each, so the parent
 * can tell which input killed it.
 *
 * <p>Input file records: kind (0 document, 1 changes, 2 sync message), base document length and
 * bytes (empty: a new document), data length and bytes.
 */
public final class NativeFuzzChild {
  private NativeFuzzChild() {}

  public static void main(String[] args) throws IOException {
    int from = Integer.parseInt(args[1]);
    try (DataInputStream in = new DataInputStream(Files.newInputStream(Path.of(args[0])))) {
      for (int i = 0; ; i++) {
        int kind;
        try {
          kind = in.readUnsignedByte();
        } catch (EOFException end) {
          break;
        }
        byte[] base = in.readNBytes(in.readInt());
        byte[] data = in.readNBytes(in.readInt());
        if (i < from) {
          continue;
        }
        System.out.println("START " + i);
        System.out.flush();
        try {
          run(kind, base, data);
        } catch (RuntimeException e) {
          // an orderly error is fine: the point is that the process survives
        }
        System.out.println("OK " + i);
        System.out.flush();
      }
    }
    System.out.println("END");
    System.out.flush();
  }

  static void run(int kind, byte[] base, byte[] data) {
    Document doc;
    if (kind == 0) {
      doc = Document.load(data);
    } else {
      doc = base.length == 0 ? new Document() : Document.load(base);
      if (kind == 1) {
        doc.applyEncodedChanges(data);
      } else {
        SyncState state = new SyncState();
        doc.receiveSyncMessage(state, data);
        doc.generateSyncMessage(state);
      }
    }
    doc.getHeads();
    doc.save();
    doc.free();
  }
}
