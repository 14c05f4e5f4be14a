package org.dure.store;

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
 */
public final class SandboxMain {
  static final String OK = "OK";
  static final int MAX_BYTES = 256 * 1024 * 1024;

  private SandboxMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && args[0].equals("--serve")) {
      serve();
      return;
    }
    byte[] bytes = System.in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      System.out.println("too large");
      System.exit(3);
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
        System.exit(3);
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
}
