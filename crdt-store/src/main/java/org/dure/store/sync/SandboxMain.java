package org.dure.store.sync;

import java.io.IOException;
import org.automerge.Document;

/**
 * The disposable process of {@link NativeSandbox}: reads a snapshot from standard input (at most
 * {@link #MAX_BYTES}), loads it with Automerge, prints {@link #OK} and exits 0. Any failure, or the
 * JVM aborting inside Automerge, gives another exit status.
 *
 * <p>With {@code --serve} it loads one snapshot after another ({@link SandboxWorker}): each is a
 * 4-byte big-endian length and the bytes; each answer is one line, {@code OK} or {@code ERR
 * message}. It ends at the end of its input (when the parent process is gone) or after a bad
 * length. If Automerge aborts the process, the parent sees the end of the answers.
 *
 * <p>With {@code --replay} it replays one piece of native work ({@link NativeSandbox#replay}): a
 * byte (1: a stored document, loaded as the store loads one; 0: a snapshot), the document's length
 * and bytes, then a sync message's length and bytes (length -1: none). It prints {@code LOADED}
 * once the document is loaded, {@code CHANGE i} before applying the message's change chunk {@code
 * i} alone, {@code RECEIVE} before receiving the whole message, and {@code OK} at the end; an error
 * Automerge reports is printed as {@code ERR message} and the replay goes on. The last line before
 * the process dies says where native code crashed.
 */
public final class SandboxMain {
  static final String OK = "OK";
  static final int MAX_BYTES = 256 * 1024 * 1024;

  private SandboxMain() {}

  /** Exit status for bad input to this process (not 3: that is how abort() ends on Windows). */
  static final int BAD_REQUEST = 65;

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && args[0].equals("--serve")) {
      serve();
      return;
    }
    if (args.length == 1 && args[0].equals("--replay")) {
      replay();
      return;
    }
    byte[] bytes = System.in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      System.out.println("too large");
      System.exit(BAD_REQUEST);
    }
    try {
      Document doc = Document.load(bytes);
      doc.getHeads();
      doc.free();
    } catch (RuntimeException e) {
      System.out.println("load failed: " + e.getMessage());
      System.exit(2);
    }
    System.out.println(OK);
    System.exit(0);
  }

  private static void serve() throws IOException {
    java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(System.in, 1 << 16));
    java.io.PrintStream out = new java.io.PrintStream(System.out, false, "UTF-8");
    while (true) {
      int length;
      try {
        length = in.readInt();
      } catch (java.io.EOFException end) {
        System.exit(0);
        return;
      }
      if (length < 0 || length > MAX_BYTES) {
        out.println("ERR bad length " + length);
        out.flush();
        System.exit(BAD_REQUEST);
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      try {
        Document doc = Document.load(bytes);
        doc.getHeads();
        doc.free();
        out.println(OK);
      } catch (RuntimeException e) {
        out.println("ERR load failed: " + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
      out.flush();
    }
  }

  private static void replay() throws IOException {
    java.io.DataInputStream in =
        new java.io.DataInputStream(new java.io.BufferedInputStream(System.in, 1 << 16));
    java.io.PrintStream out = new java.io.PrintStream(System.out, true, "UTF-8");
    boolean stored = in.readUnsignedByte() == 1;
    byte[] document = readBytes(in);
    int messageLength = in.readInt();
    byte[] message = null;
    if (messageLength >= 0) {
      in.readFully(message = checkedArray(messageLength));
    }
    Document doc;
    try {
      if (stored) {
        doc = new Document();
        doc.applyEncodedChanges(document);
      } else {
        doc = Document.load(document);
      }
      doc.getHeads();
    } catch (RuntimeException e) {
      out.println("ERR load failed: " + oneLine(e));
      out.println(OK);
      System.exit(0);
      return;
    }
    out.println("LOADED");
    if (message != null) {
      java.util.List<byte[]> changes = org.dure.store.format.SyncMessagePeek.changes(message);
      for (int i = 0; changes != null && i < changes.size(); i++) {
        out.println("CHANGE " + i);
        try {
          doc.applyEncodedChanges(changes.get(i));
        } catch (RuntimeException e) {
          out.println("ERR change " + i + ": " + oneLine(e));
        }
      }
      out.println("RECEIVE");
      try {
        org.automerge.SyncState state = new org.automerge.SyncState();
        doc.receiveSyncMessage(state, message);
        doc.generateSyncMessage(state);
        doc.getHeads();
      } catch (RuntimeException e) {
        out.println("ERR receive: " + oneLine(e));
      }
    }
    doc.save();
    out.println(OK);
    System.exit(0);
  }

  private static byte[] readBytes(java.io.DataInputStream in) throws IOException {
    byte[] b = checkedArray(in.readInt());
    in.readFully(b);
    return b;
  }

  private static byte[] checkedArray(int length) {
    if (length < 0 || length > MAX_BYTES) {
      System.out.println("ERR bad length " + length);
      System.exit(BAD_REQUEST);
    }
    return new byte[length];
  }

  private static String oneLine(RuntimeException e) {
    return String.valueOf(e.getMessage()).replace('\n', ' ');
  }
}
