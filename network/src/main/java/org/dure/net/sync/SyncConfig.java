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
 * @param stallTimeout a transfer in parts (a sync message or a snapshot) from which nothing arrives
 *     for this long while this side waits for it is dropped and the peer penalised (spec: 30 s)
 * @param maxBufferedPerPeer bytes one peer's transfers in progress may hold here, by their declared
 *     totals (spec: 80 MiB: one snapshot and one sync message at the protocol's limits)
 * @param maxBufferedTotal bytes all peers' transfers in progress may hold here together (spec: 256
 *     MiB)
 * @param helloBurst HELLOs a peer may send at once in a session (spec: 16)
 * @param helloInterval after the burst, one more HELLO per this interval; this side too sends
 *     HELLOs no closer together (spec: 250 ms)
 * @param maxUnknownSpaces distinct spaces a peer may name in its HELLOs in one session that this
 *     side neither shares with it nor accepts from it (spec: 64)
 * @param maxSyncMessage the largest sync message this side sends; a document whose message would be
 *     larger is sent whole, as a snapshot the peer merges (spec: the protocol's 16 MiB; lower only
 *     to test that path)
 */
public record SyncConfig(
    int maxConcurrentSnapshots,
    int failuresBeforeBlock,
    Duration failureWindow,
    Clock clock,
    int snapshotChunk,
    Duration stallTimeout,
    long maxBufferedPerPeer,
    long maxBufferedTotal,
    int helloBurst,
    Duration helloInterval,
    int maxUnknownSpaces,
    int maxSyncMessage) {

  /** Default of {@link #stallTimeout}. */
  public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

  /** Default of {@link #maxBufferedPerPeer}: 80 MiB. */
  public static final long MAX_BUFFERED_PER_PEER = 80L << 20;

  /** Default of {@link #maxBufferedTotal}: 256 MiB. */
  public static final long MAX_BUFFERED_TOTAL = 256L << 20;

  public SyncConfig {
    if (maxConcurrentSnapshots < 1
        || failuresBeforeBlock < 1
        || failureWindow.isNegative()
        || snapshotChunk < 1
        || snapshotChunk > SyncFrameCodec.MAX_CHUNK
        || stallTimeout.isNegative()
        || stallTimeout.isZero()
        || maxBufferedPerPeer < SyncFrameCodec.MAX_CHUNK
        || maxBufferedTotal < maxBufferedPerPeer
        || helloBurst < 1
        || helloInterval.isNegative()
        || maxUnknownSpaces < 0
        || maxSyncMessage < 1
        || maxSyncMessage > SyncFrameCodec.MAX_SYNC_MESSAGE) {
      throw new IllegalArgumentException("invalid sync config");
    }
  }

  public static SyncConfig defaults() {
    return new SyncConfig(
        4,
        3,
        Duration.ofMinutes(10),
        Clock.systemUTC(),
        SyncFrameCodec.MAX_CHUNK,
        STALL_TIMEOUT,
        MAX_BUFFERED_PER_PEER,
        MAX_BUFFERED_TOTAL,
        16,
        Duration.ofMillis(250),
        64,
        SyncFrameCodec.MAX_SYNC_MESSAGE);
  }

  public SyncConfig withClock(Clock c) {
    return new SyncConfig(
        maxConcurrentSnapshots,
        failuresBeforeBlock,
        failureWindow,
        c,
        snapshotChunk,
        stallTimeout,
        maxBufferedPerPeer,
        maxBufferedTotal,
        helloBurst,
        helloInterval,
        maxUnknownSpaces,
        maxSyncMessage);
  }

  public SyncConfig withSnapshotChunk(int bytes) {
    return new SyncConfig(
        maxConcurrentSnapshots,
        failuresBeforeBlock,
        failureWindow,
        clock,
        bytes,
        stallTimeout,
        maxBufferedPerPeer,
        maxBufferedTotal,
        helloBurst,
        helloInterval,
        maxUnknownSpaces,
        maxSyncMessage);
  }

  public SyncConfig withStallTimeout(Duration d) {
    return new SyncConfig(
        maxConcurrentSnapshots,
        failuresBeforeBlock,
        failureWindow,
        clock,
        snapshotChunk,
        d,
        maxBufferedPerPeer,
        maxBufferedTotal,
        helloBurst,
        helloInterval,
        maxUnknownSpaces,
        maxSyncMessage);
  }

  public SyncConfig withBuffered(long perPeer, long total) {
    return new SyncConfig(
        maxConcurrentSnapshots,
        failuresBeforeBlock,
        failureWindow,
        clock,
        snapshotChunk,
        stallTimeout,
        perPeer,
        total,
        helloBurst,
        helloInterval,
        maxUnknownSpaces,
        maxSyncMessage);
  }

  public SyncConfig withHellos(int burst, Duration interval, int unknownSpaces) {
    return new SyncConfig(
        maxConcurrentSnapshots,
        failuresBeforeBlock,
        failureWindow,
        clock,
        snapshotChunk,
        stallTimeout,
        maxBufferedPerPeer,
        maxBufferedTotal,
        burst,
        interval,
        unknownSpaces,
        maxSyncMessage);
  }

  public SyncConfig withMaxSyncMessage(int bytes) {
    return new SyncConfig(
        maxConcurrentSnapshots,
        failuresBeforeBlock,
        failureWindow,
        clock,
        snapshotChunk,
        stallTimeout,
        maxBufferedPerPeer,
        maxBufferedTotal,
        helloBurst,
        helloInterval,
        maxUnknownSpaces,
        bytes);
  }
}
