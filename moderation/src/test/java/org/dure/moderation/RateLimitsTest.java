package org.dure.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.sync.PeerQuota.Verdict;
import org.dure.store.format.SyncMessageStats;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private final MutableClock clock = new MutableClock();
  private final AtomicReference<ResourceSettings> settings =
      new AtomicReference<>(ResourceSettings.defaults());
  private final SpaceId mine = SpaceId.random();
  private final AtomicLong heldForOthers = new AtomicLong();
  private final RateLimits limits =
      new RateLimits(
          settings::get,
          new HeldForOthers() {
            @Override
            public boolean isMine(SpaceId space) {
              return space.equals(mine);
            }

            @Override
            public long bytes() {
              return heldForOthers.get();
            }
          },
          clock);
  private final SpaceId space = SpaceId.random();

  private static PeerId peer() {
    return new Identity(Identity.generateEd25519()).peerId();
  }

  private static SyncMessageStats changes(int n) {
    return new SyncMessageStats(n, n * 100L, 100);
  }

  @Test
  void aPeerOverItsChangesAMinuteIsSlowedDownAndOthersAreNot() {
    PeerId flooder = peer();
    PeerId honest = peer();
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(flooder, space, changes(600)).kind());
    Verdict v = limits.changes(flooder, space, changes(60));
    assertEquals(Verdict.Kind.THROTTLE, v.kind());
    assertEquals(6, v.delay().toSeconds(), "60 changes over at 10 a second: 6 s");
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(honest, space, changes(5)).kind());
    clock.advance(Duration.ofMinutes(2));
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(flooder, space, changes(10)).kind());
    assertEquals(1, limits.events().size());
    LimitEvent e = limits.events().get(0);
    assertEquals(flooder.toString(), e.peer());
    assertEquals("limit.changesPerMinute", e.limit());
    assertFalse(e.refused());
  }

  @Test
  void oversizedInputIsRefusedAndReportedOnceAMinute() {
    PeerId p = peer();
    assertEquals(Verdict.Kind.REJECT, limits.messageSize(p, (16L << 20) + 1).kind());
    assertEquals(Verdict.Kind.ACCEPT, limits.messageSize(p, 16L << 20).kind());
    assertEquals(
        Verdict.Kind.REJECT,
        limits.changes(p, space, new SyncMessageStats(1, (1 << 20) + 1, (1 << 20) + 1)).kind());
    assertEquals(
        Verdict.Kind.REJECT,
        limits.newDocument(p, space, DocumentRef.Kind.PAGE, (4L << 20) + 1, false).kind());
    assertEquals(
        Verdict.Kind.ACCEPT,
        limits.newDocument(p, space, DocumentRef.Kind.SPACE, (4L << 20) + 1, true).kind(),
        "the page size applies to pages");
    assertEquals(Verdict.Kind.REJECT, limits.messageSize(p, 20L << 20).kind());
    // one event per limit and peer a minute
    assertEquals(3, limits.events().size());
    assertTrue(limits.events().stream().allMatch(LimitEvent::refused));
    clock.advance(Duration.ofSeconds(61));
    limits.messageSize(p, 20L << 20);
    assertEquals(4, limits.events().size());
  }

  @Test
  void changesLeftOutByTheRulesAreReportedOnceAMinuteWithoutAVerdict() {
    PeerId reader = peer();
    java.util.List<LimitEvent> heard = new java.util.ArrayList<>();
    limits.addListener(heard::add);
    limits.changesRefused(reader, space, "it may not change this page");
    limits.changesRefused(reader, space, "it may not change this page");
    assertEquals(1, limits.events().size(), "reported once a minute per peer");
    LimitEvent e = limits.events().get(0);
    assertEquals(RateLimits.CHANGES_NOT_ALLOWED, e.limit());
    assertEquals(reader.toString(), e.peer());
    assertTrue(e.refused());
    assertEquals(java.util.List.of(e), heard);
    clock.advance(Duration.ofMinutes(2));
    limits.changesRefused(reader, space, "it may not change this page");
    assertEquals(2, limits.events().size());
  }

  @Test
  void newPagesAnHourAreSlowedDown() {
    PeerId p = peer();
    for (int i = 0; i < 120; i++) {
      assertEquals(
          Verdict.Kind.ACCEPT,
          limits.newDocument(p, space, DocumentRef.Kind.PAGE, 10, true).kind());
    }
    assertEquals(
        Verdict.Kind.ACCEPT,
        limits.newDocument(p, space, DocumentRef.Kind.PAGE, 10, false).kind(),
        "catching up on pages listed before is not slowed down");
    Verdict v = limits.newDocument(p, space, DocumentRef.Kind.PAGE, 10, true);
    assertEquals(Verdict.Kind.THROTTLE, v.kind());
    assertEquals(30, v.delay().toSeconds(), "one page over at 120 an hour: 30 s");
  }

  @Test
  void aPauseEndsAtOnceWhenTheLimitIsRaised() {
    PeerId p = peer();
    limits.changes(p, space, changes(1200));
    assertEquals(60, limits.throttledFor(p).toSeconds());
    clock.advance(Duration.ofSeconds(30));
    assertEquals(30, limits.throttledFor(p).toSeconds());
    settings.set(ResourceSettings.fromMap(java.util.Map.of("limit.changesPerMinute", "1000000")));
    assertTrue(limits.throttledFor(p).toMillis() < 100);
    assertEquals(Duration.ZERO, limits.throttledFor(peer()), "other peers are not paused");
  }

  @Test
  void settingsApplyAtOnce() {
    PeerId p = peer();
    settings.set(
        ResourceSettings.fromMap(
            java.util.Map.of("limit.changesPerMinute", "60", "limit.maxStreamsPerPeer", "8")));
    assertEquals(Verdict.Kind.THROTTLE, limits.changes(p, space, changes(61)).kind());
    assertEquals(8, limits.maxInboundStreams(p));
  }

  @Test
  void overTheStorageCapNothingNewIsAskedForFromOthersButMySpacesGoOn() {
    PeerId p = peer();
    settings.set(ResourceSettings.fromMap(java.util.Map.of("cap.storageForOthersMiB", "1")));
    heldForOthers.set((1 << 20) - 1);
    assertTrue(limits.mayRequest(p, space, DocumentRef.Kind.PAGE));
    heldForOthers.set(1 << 20);
    assertFalse(limits.mayRequest(p, space, DocumentRef.Kind.PAGE));
    assertFalse(limits.mayRequest(p, SpaceId.random(), DocumentRef.Kind.SPACE));
    assertTrue(limits.mayRequest(p, mine, DocumentRef.Kind.PAGE));
    assertEquals("cap.storageForOthersMiB", limits.events().get(0).limit());
    settings.set(ResourceSettings.fromMap(java.util.Map.of("cap.storageForOthersMiB", "0")));
    assertTrue(limits.mayRequest(p, space, DocumentRef.Kind.PAGE), "0 = unlimited");
  }

  private static SyncMessageStats ops(long ops) {
    return new SyncMessageStats(1, 1000, 1000, ops, ops, 1000);
  }

  @Test
  void aChangeOfMoreOperationsThanAllowedIsRefusedAndOperationsAMinuteSlowed() {
    PeerId p = peer();
    PeerId other = peer();
    assertEquals(Verdict.Kind.REJECT, limits.changes(p, space, ops(1_000_001)).kind());
    assertEquals("limit.maxOpsPerChange", limits.events().get(0).limit());
    assertTrue(limits.events().get(0).refused());
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(p, space, ops(1_000_000)).kind());
    Verdict v = limits.changes(p, space, ops(500_000));
    assertEquals(Verdict.Kind.THROTTLE, v.kind(), "a million operations a minute");
    assertEquals(Duration.ofSeconds(30), v.delay());
    assertEquals("limit.opsPerMinute", limits.events().get(1).limit());
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(other, space, ops(1000)).kind());
    clock.advance(Duration.ofSeconds(30));
    assertEquals(Duration.ZERO, limits.throttledFor(p));
  }

  @Test
  void aChangeLargeOnlyOnceInflatedIsRefused() {
    PeerId p = peer();
    SyncMessageStats small = new SyncMessageStats(1, 50_000, 50_000, 10, 10, 2L << 20);
    assertEquals(Verdict.Kind.REJECT, limits.changes(p, space, small).kind());
    assertEquals("limit.maxChangeBytes", limits.events().get(0).limit());
  }

  @Test
  void overTheStorageCapChangesToSpacesHeldForOthersAreDeclinedButMineGoOn() {
    PeerId p = peer();
    settings.set(ResourceSettings.fromMap(java.util.Map.of("cap.storageForOthersMiB", "1")));
    heldForOthers.set((1 << 20) - 1);
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(p, space, changes(1)).kind());
    heldForOthers.set(1 << 20); // grown by changes to documents held already
    Verdict v = limits.changes(p, space, changes(1));
    assertEquals(Verdict.Kind.DECLINE, v.kind(), "declined, not refused: no penalty");
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(p, mine, changes(1)).kind());
    assertEquals(Verdict.Kind.ACCEPT, limits.changes(p, space, SyncMessageStats.NONE).kind());
    assertEquals("cap.storageForOthersMiB", limits.events().get(0).limit());
  }
}
