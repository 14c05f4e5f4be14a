package org.dure.store.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The known inputs that abort the JVM inside Automerge-Java 0.0.7, as committed under {@code
 * crdt-store/src/test/resources/org/dure/store/format} (also in this module's test jar, for other
 * modules' tests). A missing file fails the test: these regression tests never skip.
 *
 * <ul>
 *   <li>{@code load.bin}: a document that panics {@code Document.load} and {@code
 *       applyEncodedChanges} ({@code types.rs}, an unknown action)
 *   <li>{@code changes.bin}: change chunks that panic {@code applyEncodedChanges} (an actor index
 *       out of range)
 *   <li>{@code syncmsg.bin}: a sync message that panics {@code receiveSyncMessage}
 * </ul>
 */
public final class Crashers {
  public static final String LOAD = "load.bin";
  public static final String CHANGES = "changes.bin";
  public static final String SYNC_MESSAGE = "syncmsg.bin";

  private Crashers() {}

  /** The bytes of the committed crasher {@code name}. */
  public static byte[] bytes(String name) {
    try (InputStream in = Crashers.class.getResourceAsStream("/org/dure/store/format/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "The committed crasher " + name + " is missing from the test resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
