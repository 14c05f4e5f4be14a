package org.dure.moderation;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.dure.net.host.Host;
import org.dure.store.WikiStore;
import org.dure.store.wiki.PageId;

/**
 * The real nodes and hosts of one test (each on 127.0.0.1, its store in its own directory), closed
 * in the reverse order of their making when the test ends; and waiting for what they do.
 */
final class TestNodes implements AutoCloseable {
  /** How long {@link #await(String, BooleanSupplier)} waits. */
  static final long WAIT_MS = 20_000;

  private final Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int made;

  TestNodes(Path dir) {
    this.dir = dir;
  }

  /** A node with the moderation policies (or, {@code malicious}, one that accepts anything). */
  ModNode node(boolean malicious) throws IOException {
    return node(malicious, Clock.systemUTC());
  }

  /** A node whose store writes the times of {@code clock}. */
  ModNode node(boolean malicious, Clock clock) throws IOException {
    return closeLater(new ModNode(dir.resolve("node" + made++), malicious, clock));
  }

  /** A bare host with {@code identity}: a scripted peer. */
  Host rawHost(KeyPair identity) throws IOException {
    return closeLater(
        Host.builder().identity(identity).listen("/ip4/127.0.0.1/tcp/0").build().start());
  }

  /** Closes {@code c} with the rest when the test ends. */
  <T extends AutoCloseable> T closeLater(T c) {
    open.add(c);
    return c;
  }

  /** Closes {@code c} now (it is not closed again at the end). */
  void closeNow(AutoCloseable c) throws Exception {
    open.remove(c);
    c.close();
  }

  @Override
  public void close() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
    open.clear();
  }

  /** Waits up to {@link #WAIT_MS} until {@code done}. */
  static void await(String what, BooleanSupplier done) throws InterruptedException {
    await(what, WAIT_MS, done);
  }

  /** Waits up to {@code ms} until {@code done}, or fails saying {@code what} did not happen. */
  static void await(String what, long ms, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + ms * 1_000_000;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  /** The page's text on {@code s}, if it holds the page. */
  static Optional<String> body(WikiStore s, PageId id) {
    try {
      return Optional.of(s.page(id).body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
