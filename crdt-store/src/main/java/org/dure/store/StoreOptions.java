package org.dure.store;

import java.time.Clock;
import java.time.Duration;
import org.dure.store.sync.NativeSandbox;
import org.dure.store.sync.SandboxMain;

/**
 * Tunables of a store, with defaults for a desktop machine.
 *
 * @param lanes number of document threads
 * @param nativeMemoryBudget bytes of Automerge native memory the open-document cache may hold
 * @param indexDelay how long after an edit the search index and links are brought up to date
 * @param maxPageLength the most code points a page body may have
 * @param journalFlushInterval how long page edits may wait in the journal before they are moved
 *     into SQLite in a batch, durably (they are safe from a crash of the process either way; a
 *     keystroke edit is on the disk, safe from a power loss, by the end of the next batch)
 * @param sandboxCommand the command that starts a {@link NativeSandbox} child process (running
 *     {@link SandboxMain}); empty for {@link NativeSandbox#childJvm} (this JVM's class path). Used
 *     from the start, also to replay what crashed the last process (see {@code
 *     sync.CrashRecovery}).
 */
public record StoreOptions(
    Clock clock,
    int lanes,
    long nativeMemoryBudget,
    Duration indexDelay,
    int maxPageLength,
    Duration journalFlushInterval,
    java.util.List<String> sandboxCommand) {
  public StoreOptions {
    sandboxCommand = java.util.List.copyOf(sandboxCommand);
    if (lanes < 1 || nativeMemoryBudget < 1 || maxPageLength < 1) {
      throw new IllegalArgumentException("Store options must be positive");
    }
    if (journalFlushInterval.isNegative() || journalFlushInterval.isZero()) {
      throw new IllegalArgumentException("The journal flush interval must be positive");
    }
  }

  public static StoreOptions defaults() {
    return new StoreOptions(
        Clock.systemUTC(),
        4,
        256L * 1024 * 1024,
        Duration.ofMillis(500),
        2_000_000,
        Duration.ofMillis(100),
        java.util.List.of());
  }

  public StoreOptions withClock(Clock c) {
    return new StoreOptions(
        c,
        lanes,
        nativeMemoryBudget,
        indexDelay,
        maxPageLength,
        journalFlushInterval,
        sandboxCommand);
  }

  public StoreOptions withNativeMemoryBudget(long bytes) {
    return new StoreOptions(
        clock, lanes, bytes, indexDelay, maxPageLength, journalFlushInterval, sandboxCommand);
  }

  public StoreOptions withIndexDelay(Duration d) {
    return new StoreOptions(
        clock, lanes, nativeMemoryBudget, d, maxPageLength, journalFlushInterval, sandboxCommand);
  }

  public StoreOptions withJournalFlushInterval(Duration d) {
    return new StoreOptions(
        clock, lanes, nativeMemoryBudget, indexDelay, maxPageLength, d, sandboxCommand);
  }

  /** Options whose sandbox runs {@code command} (see {@link #sandboxCommand}). */
  public StoreOptions withSandboxCommand(java.util.List<String> command) {
    return new StoreOptions(
        clock, lanes, nativeMemoryBudget, indexDelay, maxPageLength, journalFlushInterval, command);
  }
}
