package org.dure.net.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.dure.identity.Identity;
import org.dure.identity.PeerId;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.kad.KadKeys;
import org.dure.net.kad.KadMessage;
import org.dure.net.kad.KadPeer;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multistream.MultistreamCodec;
import org.dure.net.noise.NoiseHandshakePayload;
import org.dure.net.relay.HopMessage;
import org.dure.net.relay.RelayLimit;
import org.dure.net.relay.RelayPeer;
import org.dure.net.relay.RelayStatus;
import org.dure.net.relay.Reservation;
import org.dure.net.relay.StopMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random and mutated inputs for every decoder: only declared exceptions, no hang (each test
 * runs in well under 2 s; the limit is 5 s for slow CI machines), and no large allocation per
 * input.
 */
@Timeout(5)
class DecoderPropertyTest {
  private static final int CASES = 2000;
  private static final long MAX_ALLOCATION_PER_CASE = 4L * 1024 * 1024;

  private static byte[] random(Random r) {
    byte[] b = new byte[r.nextInt(r.nextBoolean() ? 16 : 300)];
    r.nextBytes(b);
    return b;
  }

  private static byte[] mutate(Random r, byte[] valid) {
    byte[] b = valid.clone();
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits && b.length > 0; i++) {
      switch (r.nextInt(4)) {
        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
        default -> {
          byte[] c = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
          b = c;
          b[b.length - 1] = (byte) 0xff;
        }
      }
    }
    return b;
  }

  private static void run(String target, long seed, List<byte[]> valid) {
    Consumer<byte[]> t = DecoderTargets.ALL.get(target);
    Random r = new Random(seed);
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    for (int i = 0; i < 20; i++) {
      t.accept(random(r)); // warm-up: class loading and crypto provider set-up are not per input
    }
    for (int i = 0; i < CASES; i++) {
      byte[] input =
          valid.isEmpty() || r.nextBoolean()
              ? random(r)
              : mutate(r, valid.get(r.nextInt(valid.size())));
      long before = mx.getThreadAllocatedBytes(id);
      try {
        t.accept(input);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(
            target
                + " failed on case "
                + i
                + " (seed "
                + seed
                + "): "
                + java.util.HexFormat.of().formatHex(input),
            e);
      }
      long allocated = mx.getThreadAllocatedBytes(id) - before;
      assertTrue(
          allocated < MAX_ALLOCATION_PER_CASE,
          target + " allocated " + allocated + " bytes for " + input.length + " input bytes");
    }
  }

  private static List<byte[]> samples() {
    List<byte[]> s = new ArrayList<>();
    s.add(MultistreamCodec.encode("/multistream/1.0.0", "/noise"));
    s.add(
        Multiaddr.parse(
                "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB")
            .toBytes());
    s.add(new NoiseHandshakePayload(new byte[36], new byte[64], List.of("/yamux/1.0.0")).encode());
    s.add(
        new IdentifyMessage(
                "ipfs/0.1.0",
                "dure/0.1.0",
                new Identity(Identity.generateEd25519()).publicKey().toProtobuf(),
                List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")),
                null,
                List.of("/ipfs/ping/1.0.0"))
            .encode());
    s.add(
        java.util.HexFormat.of()
            .parseHex(
                "000000010000000100000003616263"
                    + "000200010000000000000007"
                    + "000100080000000200000000"));
    return s;
  }

  @Test
  void varintDecoderOnlyThrowsDeclaredExceptions() {
    run(
        "varint",
        1,
        List.of(new byte[] {(byte) 0x80, 1}, new byte[] {(byte) 0xff, (byte) 0xff, 3}));
  }

  @Test
  void multistreamDecoderOnlyThrowsDeclaredExceptions() {
    run("multistream", 2, samples());
  }

  @Test
  void noisePayloadDecoderOnlyThrowsDeclaredExceptions() {
    run("noisePayload", 3, samples());
  }

  @Test
  void noiseHandshakeRejectsRandomMessages() {
    Random r = new Random(4);
    for (int i = 0; i < 300; i++) {
      DecoderTargets.noiseHandshake(random(r));
    }
  }

  @Test
  void noiseFrameDecoderOnlyThrowsDeclaredExceptions() {
    run(
        "noiseFrames",
        5,
        List.of(new byte[] {0, 20, 1, 2, 3}, new byte[] {(byte) 0xff, (byte) 0xff}));
  }

  @Test
  void yamuxFrameDecoderOnlyThrowsDeclaredExceptions() {
    run("yamuxFrames", 6, samples());
  }

  @Test
  void yamuxSessionSurvivesArbitraryFrames() {
    run("yamuxSession", 7, samples());
  }

  @Test
  void identifyDecoderOnlyThrowsDeclaredExceptions() {
    run("identify", 8, samples());
  }

  @Test
  void relayMessageDecodersOnlyThrowDeclaredExceptions() {
    PeerId peer = new Identity(Identity.generateEd25519()).peerId();
    Multiaddr relay = Multiaddr.parse("/ip4/1.2.3.4/tcp/5").withPeerId(peer);
    run(
        "relayMessages",
        12,
        List.of(
            new HopMessage(
                    HopMessage.Type.STATUS,
                    null,
                    new Reservation(1_900_000_000L, List.of(relay), new byte[] {1}),
                    new RelayLimit(120, 1 << 17),
                    RelayStatus.OK)
                .encode(),
            HopMessage.connect(new RelayPeer(peer, List.of(relay))).encode(),
            StopMessage.connect(RelayPeer.of(peer), new RelayLimit(60, 0)).encode(),
            StopMessage.status(RelayStatus.CONNECTION_FAILED).encode()));
  }

  @Test
  void kadMessageDecoderOnlyThrowsDeclaredExceptions() {
    PeerId peer = new Identity(Identity.generateEd25519()).peerId();
    Multiaddr at = Multiaddr.parse("/ip4/1.2.3.4/tcp/5");
    run(
        "kadMessages",
        13,
        List.of(
            KadMessage.findNode(peer.toBytes())
                .reply(
                    List.of(new KadPeer(peer, List.of(at), KadPeer.ConnectionType.CONNECTED)),
                    List.of())
                .encode(),
            KadMessage.getProviders(KadKeys.peerKey(peer))
                .reply(List.of(), List.of(new KadPeer(peer, List.of(at))))
                .encode(),
            KadMessage.addProvider(KadKeys.peerKey(peer), new KadPeer(peer, List.of(at)))
                .encode()));
  }

  @Test
  void natTraversalDecodersOnlyThrowDeclaredExceptions() {
    Multiaddr a = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
    run(
        "autonatMessages",
        15,
        List.of(
            new org.dure.net.autonat.AutonatMessage.DialRequest(List.of(a, a), 42L).encode(),
            new org.dure.net.autonat.AutonatMessage.DialResponse(
                    org.dure.net.autonat.AutonatMessage.ResponseStatus.OK,
                    1,
                    org.dure.net.autonat.AutonatMessage.DialStatus.OK)
                .encode(),
            new org.dure.net.autonat.AutonatMessage.DialDataRequest(0, 30_000).encode(),
            new org.dure.net.autonat.DialBack(7L).encode()));
    run(
        "dcutrMessages",
        16,
        List.of(
            org.dure.net.dcutr.HolePunchMessage.connect(List.of(a, a)).encode(),
            org.dure.net.dcutr.HolePunchMessage.sync().encode()));
  }

  @Test
  void blobDecodersOnlyThrowDeclaredExceptions() {
    org.dure.store.blob.BlobHash root = org.dure.store.blob.BlobHash.of(new byte[] {1});
    byte[] manifest =
        new org.dure.store.blob.BlobManifest("photo.png", "image/png", 300_000, List.of(root, root))
            .encode();
    run(
        "blobFrames",
        17,
        List.of(
            manifest,
            org.dure.net.blobs.BlobFrameCodec.encode(
                new org.dure.net.blobs.BlobFrame.Manifest(root, manifest)),
            org.dure.net.blobs.BlobFrameCodec.encode(
                new org.dure.net.blobs.BlobFrame.GetChunk(root, 3)),
            org.dure.net.blobs.BlobFrameCodec.encode(
                new org.dure.net.blobs.BlobFrame.Chunk(root, 1, new byte[] {1, 2, 3})),
            org.dure.net.blobs.BlobFrameCodec.encode(
                new org.dure.net.blobs.BlobFrame.Refused(
                    root, -1, org.dure.net.blobs.BlobFrame.Reason.NOT_ALLOWED))));
  }

  @Test
  void multiaddrDecodersOnlyThrowDeclaredExceptions() {
    run("multiaddrBytes", 9, samples());
    run(
        "multiaddrText",
        10,
        List.of(
            "/ip4/1.2.3.4/tcp/80/p2p/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"
                .getBytes(),
            "/ip6/::1/udp/1/quic-v1".getBytes()));
  }

  @Test
  void keyAndPeerIdDecodersOnlyThrowDeclaredExceptions() {
    run(
        "publicKeyAndPeerId",
        11,
        List.of(
            new Identity(Identity.generateEd25519()).publicKey().toProtobuf(),
            "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB".getBytes()));
  }
}
