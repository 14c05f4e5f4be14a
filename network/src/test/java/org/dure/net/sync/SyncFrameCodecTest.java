package org.dure.net.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.UnsignedVarint;
import org.dure.store.StoreOptions;
import org.dure.store.WikiStore;
import org.dure.store.format.SyncMessage;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.Space;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

/** The frame codec without sockets, and the protocol's small helpers. */
class SyncFrameCodecTest {
  private static final SpaceId SPACE = new SpaceId("abcdefghijklmnopqrstuvwxyz");
  private static final String DOC = "234567abcdefghijklmnopqrst";

  private static SyncFrame roundTrip(SyncFrame f) throws IOException {
    return SyncFrameCodec.read(new ByteArrayInputStream(SyncFrameCodec.encode(f)));
  }

  @Test
  void everyFrameTypeRoundTrips() throws IOException {
    SyncFrame.Hello hello = new SyncFrame.Hello(1, List.of(SPACE, new SpaceId(DOC)));
    assertEquals(hello, roundTrip(hello));
    assertEquals(new SyncFrame.Hello(1, List.of()), roundTrip(new SyncFrame.Hello(1, List.of())));
    SyncFrame.Sync sync = (SyncFrame.Sync) roundTrip(new SyncFrame.Sync(DOC, new byte[] {0x42, 1}));
    assertEquals(DOC, sync.docId());
    assertArrayEquals(new byte[] {0x42, 1}, sync.message());
    for (DocumentRef.Kind k : DocumentRef.Kind.values()) {
      SyncFrame.Need need = new SyncFrame.Need(DOC, SPACE, k);
      assertEquals(need, roundTrip(need));
    }
    SyncFrame.Snapshot snap =
        (SyncFrame.Snapshot)
            roundTrip(
                new SyncFrame.Snapshot(DOC, SPACE, DocumentRef.Kind.PAGE, 1000, 990, new byte[10]));
    assertEquals(1000, snap.total());
    assertEquals(990, snap.offset());
    assertEquals(10, snap.chunk().length);
    SyncFrame.Bye bye = new SyncFrame.Bye(1, "shutting down, 안녕");
    assertEquals(bye, roundTrip(bye));
    assertEquals(
        SyncFrameCodec.MAX_BYE_MESSAGE,
        ((SyncFrame.Bye) roundTrip(new SyncFrame.Bye(2, "é".repeat(2000))))
            .message()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)
            .length);
  }

  @Test
  void attestationsRoundTripAndMalformedOnesAreProtocolErrors() throws IOException {
    org.dure.identity.Identity me = org.dure.identity.Identity.ephemeral();
    byte[] actor = java.util.Arrays.copyOf(me.publicKey().data(), 40);
    byte[] hash = new byte[32];
    hash[0] = 9;
    org.dure.store.sync.Attestation a =
        org.dure.store.sync.Attestation.sign(me, DOC, actor, 3, hash, 1_700_000_000_000L, "한 줄");
    SyncFrame.Attest sent = new SyncFrame.Attest(DOC, List.of(a, a));
    SyncFrame.Attest got = (SyncFrame.Attest) roundTrip(sent);
    assertEquals(sent, got);
    assertTrue(got.attestations().get(0).isValid());

    byte[] good = SyncFrameCodec.encode(new SyncFrame.Attest(DOC, List.of(a)));
    byte[] body = Arrays.copyOfRange(good, UnsignedVarint.decode(good, 0).length(), good.length);
    assertEquals(SyncFrame.ATTEST, body[0]);
    List<byte[]> bad = new ArrayList<>();
    bad.add(concat(new byte[] {SyncFrame.ATTEST}, DOC.getBytes(), new byte[] {0})); // none
    bad.add(
        concat(new byte[] {SyncFrame.ATTEST}, DOC.getBytes(), UnsignedVarint.encode(257))); // > 256
    bad.add(concat(new byte[] {SyncFrame.ATTEST}, DOC.getBytes(), new byte[] {1, 32})); // actor
    bad.add(Arrays.copyOf(body, body.length - 1)); // signature cut short
    byte[] seqZero = body.clone();
    seqZero[1 + 26 + 1 + 1 + 40] = 0; // seq 0
    bad.add(seqZero);
    for (byte[] b : bad) {
      assertThrows(
          ProtocolViolationException.class,
          () -> SyncFrameCodec.decode(b),
          () -> "accepted " + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 40))));
    }
  }

  @Test
  void kindBytesAreTheSpecs() {
    assertEquals(
        List.of(1, 2, 3, 4, 5),
        List.of(
            SyncFrameCodec.kindByte(DocumentRef.Kind.SPACE),
            SyncFrameCodec.kindByte(DocumentRef.Kind.MEMBERS),
            SyncFrameCodec.kindByte(DocumentRef.Kind.PAGE),
            SyncFrameCodec.kindByte(DocumentRef.Kind.PROFILE),
            SyncFrameCodec.kindByte(DocumentRef.Kind.COMMENTS)));
  }

  @Test
  void aCleanEndIsNullAndACutFrameIsAnError() throws IOException {
    assertNull(SyncFrameCodec.read(InputStream.nullInputStream()));
    byte[] f = SyncFrameCodec.encode(new SyncFrame.Need(DOC, SPACE, DocumentRef.Kind.PAGE));
    assertThrows(
        java.io.EOFException.class,
        () -> SyncFrameCodec.read(new ByteArrayInputStream(Arrays.copyOf(f, f.length - 1))));
  }

  /** Counts the bytes read, to show nothing is read (or allocated) for a refused length. */
  private static final class CountingInput extends ByteArrayInputStream {
    CountingInput(byte[] b) {
      super(b);
    }

    int consumed() {
      return pos;
    }
  }

  @Test
  void anOversizedLengthIsRefusedBeforeReadingTheBody() {
    byte[] len = UnsignedVarint.encode(Integer.MAX_VALUE * 4L);
    CountingInput in = new CountingInput(concat(len, new byte[100]));
    assertThrows(ProtocolViolationException.class, () -> SyncFrameCodec.read(in));
    assertEquals(len.length, in.consumed());
    assertThrows(
        ProtocolViolationException.class,
        () -> SyncFrameCodec.read(new ByteArrayInputStream(new byte[] {0})));
  }

  @Test
  void malformedBodiesAreProtocolErrors() {
    List<byte[]> bad = new ArrayList<>();
    bad.add(new byte[] {0x7F}); // unknown type
    bad.add(new byte[] {SyncFrame.HELLO, 2, 0}); // version 2
    bad.add(concat(new byte[] {SyncFrame.HELLO, 1}, UnsignedVarint.encode(1001))); // > 1000 spaces
    bad.add(new byte[] {SyncFrame.HELLO, 1, 5, 'a'}); // claims 5 ids, has 1 byte
    bad.add(concat(new byte[] {SyncFrame.HELLO, 1, 1}, "ABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes()));
    bad.add(concat(new byte[] {SyncFrame.SYNC}, DOC.getBytes())); // empty message
    bad.add(concat(new byte[] {SyncFrame.NEED}, (DOC + SPACE.value()).getBytes(), new byte[] {7}));
    bad.add(concat(new byte[] {SyncFrame.NEED}, (DOC + SPACE.value()).getBytes(), new byte[] {0}));
    bad.add(
        concat(new byte[] {SyncFrame.NEED}, (DOC + SPACE.value()).getBytes(), new byte[] {1, 0}));
    byte[] head =
        concat(new byte[] {SyncFrame.SNAPSHOT}, (DOC + SPACE.value()).getBytes(), new byte[] {3});
    bad.add(
        concat(head, UnsignedVarint.encode(SyncFrameCodec.MAX_SNAPSHOT + 1), new byte[] {0, 1}));
    bad.add(concat(head, UnsignedVarint.encode(10), UnsignedVarint.encode(8), new byte[3]));
    bad.add(concat(head, UnsignedVarint.encode(10), UnsignedVarint.encode(0))); // empty chunk
    bad.add(
        concat(
            head,
            UnsignedVarint.encode(SyncFrameCodec.MAX_SNAPSHOT),
            UnsignedVarint.encode(0),
            new byte[SyncFrameCodec.MAX_CHUNK + 1]));
    bad.add(new byte[] {SyncFrame.BYE, 0, 2, (byte) 0xC3, 0x28}); // bad UTF-8
    bad.add(concat(new byte[] {SyncFrame.BYE, 0}, UnsignedVarint.encode(1025), new byte[1025]));
    for (byte[] b : bad) {
      assertThrows(
          ProtocolViolationException.class,
          () -> SyncFrameCodec.decode(b),
          () -> "accepted " + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 40))));
    }
  }

  @Test
  void theLargestSyncMessageFitsOneFrame() throws IOException {
    byte[] msg = new byte[SyncFrameCodec.maxSyncMessage()];
    byte[] frame = SyncFrameCodec.encode(new SyncFrame.Sync(DOC, msg));
    assertInstanceOf(SyncFrame.Sync.class, SyncFrameCodec.read(new ByteArrayInputStream(frame)));
    assertThrows(
        IllegalArgumentException.class,
        () -> SyncFrameCodec.encode(new SyncFrame.Sync(DOC, new byte[msg.length + 1])));
  }

  @Test
  void failuresAreCountedInASlidingWindow() {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    PeerPenalties p = new PeerPenalties(3, Duration.ofMinutes(10), clock);
    assertEquals(false, p.fail("x"));
    assertEquals(false, p.fail("x"));
    now[0] = now[0].plus(Duration.ofMinutes(11));
    assertEquals(false, p.fail("x")); // the first two expired
    assertEquals(false, p.fail("y"));
    now[0] = now[0].plus(Duration.ofMinutes(5));
    assertEquals(false, p.fail("x"));
    assertTrue(p.fail("x"));
    assertEquals(0, p.count("x"));
  }

  @Test
  void theMembershipDocumentIdIsTheStores() {
    try (WikiStore s = WikiStore.inMemory(Identity.ephemeral(), StoreOptions.defaults())) {
      Space space = s.createSpace("S");
      s.membership(space.id());
      String members =
          s.sync().documents(space.id()).stream()
              .filter(d -> d.kind() == DocumentRef.Kind.MEMBERS)
              .findFirst()
              .orElseThrow()
              .id();
      assertEquals(members, WikiStore.membershipDocId(space.id()));
    }
  }

  @Test
  void aSyncMessageWithoutChangesIsToldApart() {
    assertEquals(false, SyncMessage.of(new byte[] {0x42, 0, 0, 0, 0}).carriesChanges());
    assertTrue(SyncMessage.of(new byte[] {0x42, 0, 0, 0, 1, 1, 0}).carriesChanges());
    assertTrue(SyncMessage.of(new byte[] {0x42, 5}).carriesChanges()); // truncated: assume changes
    assertTrue(SyncMessage.of(new byte[] {0x11}).carriesChanges());
  }

  @Test
  void aLargeSyncMessageTravelsInOrderedPartsWithinBounds() throws Exception {
    byte[] message = new byte[SyncFrameCodec.maxSyncMessage() + 300_000];
    new java.util.Random(3).nextBytes(message);
    List<SyncFrame> frames = SyncFrameCodec.syncFrames("abcdefghijklmnopqrstuvwxyz", message);
    assertEquals(6, frames.size());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (SyncFrame f : frames) {
      byte[] wire = SyncFrameCodec.encode(f);
      SyncFrame back = SyncFrameCodec.read(new java.io.ByteArrayInputStream(wire));
      SyncFrame.SyncPart part = (SyncFrame.SyncPart) back;
      assertEquals(joined.size(), part.offset());
      assertEquals(message.length, part.total());
      joined.writeBytes(part.chunk());
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(message, joined.toByteArray());
    // A small message is one SYNC frame; parts of a message that would fit one, or beyond the
    // limit, are protocol errors.
    assertTrue(
        SyncFrameCodec.syncFrames("abcdefghijklmnopqrstuvwxyz", new byte[10]).get(0)
            instanceof SyncFrame.Sync);
    byte[] small =
        SyncFrameCodec.encode(
            new SyncFrame.SyncPart("abcdefghijklmnopqrstuvwxyz", 1000, 0, new byte[1000]));
    org.junit.jupiter.api.Assertions.assertThrows(
        org.dure.net.ProtocolViolationException.class,
        () -> SyncFrameCodec.read(new java.io.ByteArrayInputStream(small)));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> SyncFrameCodec.syncFrames("abcdefghijklmnopqrstuvwxyz", new byte[(16 << 20) + 1]));
  }

  @Test
  void aRealSyncMessageLosesItsChangesAndKeepsTheRest() {
    org.automerge.Document a = new org.automerge.Document();
    org.automerge.Document b = new org.automerge.Document();
    try {
      try (org.automerge.Transaction tx = a.startTransaction()) {
        tx.set(org.automerge.ObjectId.ROOT, "title", "from a reader");
        tx.commit();
      }
      org.automerge.SyncState sa = new org.automerge.SyncState();
      org.automerge.SyncState sb = new org.automerge.SyncState();
      byte[] withChanges = null;
      for (int round = 0; round < 4 && withChanges == null; round++) {
        var ma = a.generateSyncMessage(sa);
        if (ma.isPresent() && SyncMessage.of(ma.get()).carriesChanges()) {
          withChanges = ma.get();
        } else {
          ma.ifPresent(m -> b.receiveSyncMessage(sb, m));
          b.generateSyncMessage(sb).ifPresent(m -> a.receiveSyncMessage(sa, m));
        }
      }
      assertTrue(withChanges != null, "the exchange came to sending changes");
      byte[] stripped = org.dure.store.format.SyncMessagePeek.withoutChanges(withChanges);
      assertEquals(false, SyncMessage.of(stripped).carriesChanges());
      assertTrue(stripped.length < withChanges.length);
      b.receiveSyncMessage(sb, stripped); // well-formed for Automerge
      assertTrue(b.get(org.automerge.ObjectId.ROOT, "title").isEmpty(), "no change applied");
      b.receiveSyncMessage(sb, withChanges);
      assertTrue(b.get(org.automerge.ObjectId.ROOT, "title").isPresent());
    } finally {
      a.free();
      b.free();
    }
    assertEquals(null, org.dure.store.format.SyncMessagePeek.withoutChanges(new byte[] {0x42, 5}));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
