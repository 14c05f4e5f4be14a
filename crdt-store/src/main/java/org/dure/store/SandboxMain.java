package org.dure.store;

import java.io.IOException;
import org.automerge.Document;

/**
 * The disposable process of {@link NativeSandbox}: reads a snapshot from standard input (at most
 * {@link #MAX_BYTES}), loads it with Automerge, prints {@link #OK} and exits 0. Any failure, or the
 * JVM aborting inside Automerge, gives another exit status.
 */
public final class SandboxMain {
  static final String OK = "OK";
  static final int MAX_BYTES = 256 * 1024 * 1024;

  private SandboxMain() {}

  public static void main(String[] args) throws IOException {
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
}
