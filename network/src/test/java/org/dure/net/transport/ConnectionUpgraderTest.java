package org.dure.net.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.dure.identity.Identity;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.PeerIdMismatchException;
import org.junit.jupiter.api.Test;

/** Drives two upgraders against each other through {@link EmbeddedChannel}s, without sockets. */
class ConnectionUpgraderTest {
  static final class Recorder implements UpgradeListener {
    PeerId peer;
    Boolean early;
    Throwable failure;

    @Override
    public void onUpgraded(Channel ch, PeerId remotePeer, LibP2pPublicKey key, boolean earlyMuxer) {
      peer = remotePeer;
      early = earlyMuxer;
    }

    @Override
    public void onFailed(Channel ch, Throwable cause) {
      failure = cause;
    }
  }

  private static void pump(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Object m; (m = a.readOutbound()) != null; moved = true) {
        if (b.isActive()) {
          b.writeInbound(m);
        } else {
          ((ByteBuf) m).release();
        }
      }
      for (Object m; (m = b.readOutbound()) != null; moved = true) {
        if (a.isActive()) {
          a.writeInbound(m);
        } else {
          ((ByteBuf) m).release();
        }
      }
    }
  }

  private static EmbeddedChannel channel(ConnectionUpgrader u) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast("upgrade", u);
    return ch;
  }

  @Test
  void upgradesWithEarlyMuxerAndThenCarriesEncryptedBytes() {
    Identity ia = new Identity(Identity.generateEd25519());
    Identity ib = new Identity(Identity.generateEd25519());
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    EmbeddedChannel a = channel(new ConnectionUpgrader(true, ia, ib.peerId(), ra, true));
    EmbeddedChannel b = channel(new ConnectionUpgrader(false, ib, null, rb, true));
    pump(a, b);
    assertEquals(ib.peerId(), ra.peer);
    assertEquals(ia.peerId(), rb.peer);
    assertTrue(ra.early && rb.early);
    assertNull(a.pipeline().get("upgrade"));

    a.writeOutbound(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
    ByteBuf wire = a.readOutbound();
    assertFalse(wire.toString(StandardCharsets.UTF_8).contains("hello"), "must be encrypted");
    b.writeInbound(wire);
    ByteBuf plain = b.readInbound();
    assertEquals("hello", plain.toString(StandardCharsets.UTF_8));
    plain.release();
  }

  @Test
  void fallsBackToMultistreamWhenOneSideListsNoMuxer() {
    Identity ia = new Identity(Identity.generateEd25519());
    Identity ib = new Identity(Identity.generateEd25519());
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    EmbeddedChannel a = channel(new ConnectionUpgrader(true, ia, null, ra, true));
    EmbeddedChannel b = channel(new ConnectionUpgrader(false, ib, null, rb, false));
    pump(a, b);
    assertEquals(Boolean.FALSE, ra.early);
    assertEquals(Boolean.FALSE, rb.early);
    assertNull(a.pipeline().get("muxer-select"));
  }

  @Test
  void wrongExpectedPeerFailsTheInitiator() {
    Identity ia = new Identity(Identity.generateEd25519());
    Identity ib = new Identity(Identity.generateEd25519());
    PeerId other = new Identity(Identity.generateEd25519()).peerId();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    EmbeddedChannel a = channel(new ConnectionUpgrader(true, ia, other, ra, true));
    EmbeddedChannel b = channel(new ConnectionUpgrader(false, ib, null, rb, true));
    pump(a, b);
    assertInstanceOf(PeerIdMismatchException.class, ra.failure);
    assertNull(ra.peer);
    assertNull(rb.peer);
    assertFalse(a.isActive());
  }

  @Test
  void responderAnswersNaToUnknownSecurityProtocols() {
    Recorder rb = new Recorder();
    EmbeddedChannel b =
        channel(
            new ConnectionUpgrader(
                false, new Identity(Identity.generateEd25519()), null, rb, true));
    ByteBuf header = b.readOutbound();
    header.release();
    b.writeInbound(
        Unpooled.wrappedBuffer(
            org.dure.net.multistream.MultistreamCodec.encode("/multistream/1.0.0", "/tls/1.0.0")));
    ByteBuf na = b.readOutbound();
    assertEquals("\u0003na\n", na.toString(StandardCharsets.UTF_8));
    na.release();
    assertTrue(b.isActive());
  }
}
