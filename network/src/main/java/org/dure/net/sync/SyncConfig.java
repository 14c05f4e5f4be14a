package org.dure.net.sync;

import java.time.Clock;
import java.time.Duration;

/**
 * Limits and penalties of a {@link SyncService}.
 *
 * @param maxConcurrentSnapshots snapshots sent or received at once per session (spec: 4)
 * @param failuresBeforeBlock protocol errors within {@code failureWindow} after which a peer is
 *     blocked (spec: 3)
 * @param failureWindow the window failures are counted in (spec: 10 minutes)
 * @param clock time source for the failure window
 * @param snapshotChunk bytes of snapshot per SNAPSHOT frame sent (at most the spec's 256 KiB)
 */
public record SyncConfig(
    int maxConcurrentSnapshots,
    int failuresBeforeBlock,
    Duration failureWindow,
    Clock clock,
    int snapshotChunk) {

  public SyncConfig {
    if (maxConcurrentSnapshots < 1
        || failuresBeforeBlock < 1
        || failureWindow.isNegative()
        || snapshotChunk < 1
        || snapshotChunk > SyncFrameCodec.MAX_CHUNK) {
      throw new IllegalArgumentException("invalid sync config");
    }
  }

  public static SyncConfig defaults() {
    return new SyncConfig(
        4, 3, Duration.ofMinutes(10), Clock.systemUTC(), SyncFrameCodec.MAX_CHUNK);
  }

  public SyncConfig withClock(Clock c) {
    return new SyncConfig(
        maxConcurrentSnapshots, failuresBeforeBlock, failureWindow, c, snapshotChunk);
  }

  public SyncConfig withSnapshotChunk(int bytes) {
    return new SyncConfig(maxConcurrentSnapshots, failuresBeforeBlock, failureWindow, clock, bytes);
  }
}
