package org.dure.net.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.dure.identity.InvalidPeerIdException;
import org.dure.identity.InvalidPublicKeyException;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.autonat.AutonatMessage;
import org.dure.net.autonat.DialBack;
import org.dure.net.base.UnsignedVarint;
import org.dure.net.dcutr.HolePunchMessage;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.kad.KadMessage;
import org.dure.net.kad.KadPeer;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.MultiaddrFormatException;
import org.dure.net.multistream.MultistreamCodec;
import org.dure.net.noise.NoiseCipherState;
import org.dure.net.noise.NoiseFrameCodec;
import org.dure.net.noise.NoiseHandshake;
import org.dure.net.noise.NoiseHandshakePayload;
import org.dure.net.relay.HopMessage;
import org.dure.net.relay.StopMessage;
import org.dure.net.yamux.YamuxConfig;
import org.dure.net.yamux.YamuxFrame;
import org.dure.net.yamux.YamuxFrameCodec;
import org.dure.net.yamux.YamuxSession;

/**
 * One entry point per decoder, shared by the seeded property tests and the Jazzer fuzz targets.
 * Each feeds arbitrary bytes to a decoder and lets only the declared exceptions through silently;
 * anything else escapes and fails the caller.
 */
public final class DecoderTargets {
  private DecoderTargets() {}

  public static void varint(byte[] data) {
    try {
      UnsignedVarint.Decoded d = UnsignedVarint.decode(data, 0);
      check(d.length() >= 1 && d.length() <= UnsignedVarint.MAX_BYTES && d.value() >= 0);
      byte[] again = UnsignedVarint.encode(d.value());
      check(again.length == d.length());
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  public static void multistream(byte[] data) {
    ByteBuf buf = Unpooled.wrappedBuffer(data);
    try {
      String m;
      while ((m = MultistreamCodec.decode(buf)) != null) {
        check(m.length() < MultistreamCodec.MAX_MESSAGE);
      }
    } catch (ProtocolViolationException expected) {
      // declared
    } finally {
      buf.release();
    }
  }

  public static void noisePayload(byte[] data) {
    try {
      NoiseHandshakePayload p = NoiseHandshakePayload.decode(data);
      check(p.streamMuxers().size() <= 16);
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  /** Random bytes as Noise handshake message 1 (responder) and message 2 (initiator). */
  public static void noiseHandshake(byte[] data) {
    try {
      new NoiseHandshake(false, NoiseHandshake.generateKeyPair()).readMessage(data);
    } catch (ProtocolViolationException expected) {
      // declared
    }
    NoiseHandshake i = new NoiseHandshake(true, NoiseHandshake.generateKeyPair());
    i.writeMessage(new byte[0]);
    try {
      i.readMessage(data);
      check(false); // forging message 2 needs the keys
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  private static final byte[] KEY = new byte[32];

  public static void noiseFrames(byte[] data) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new NoiseFrameCodec(new NoiseCipherState(KEY), new NoiseCipherState(KEY)));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(data));
    } catch (DecoderException e) {
      declared(e);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  public static void yamuxFrames(byte[] data) {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(YamuxConfig.INITIAL_WINDOW));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(data));
    } catch (DecoderException e) {
      declared(e);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Bytes through the codec into a live session: it may close the channel, never throw. */
  public static void yamuxSession(byte[] data) {
    YamuxSession session =
        new YamuxSession(
            data.length > 0 && (data[0] & 1) == 1,
            YamuxConfig.defaults().withKeepAlive(java.time.Duration.ZERO),
            s -> {},
            "fuzz");
    EmbeddedChannel ch =
        new EmbeddedChannel(new YamuxFrameCodec(YamuxConfig.INITIAL_WINDOW), session);
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(data));
      ch.checkException();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  public static void identify(byte[] data) {
    try {
      IdentifyMessage m = IdentifyMessage.decode(data);
      check(IdentifyMessage.decode(m.encode()).protocols().equals(m.protocols()));
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  /** The circuit relay v2 messages: declared failures only, and what decodes re-encodes. */
  public static void relayMessages(byte[] data) {
    try {
      HopMessage m = HopMessage.decode(data);
      check(HopMessage.decode(m.encode()).equals(m));
    } catch (ProtocolViolationException expected) {
      // declared
    }
    try {
      StopMessage m = StopMessage.decode(data);
      check(StopMessage.decode(m.encode()).equals(m));
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  /** A kad-dht message body, and the same bytes as a length-prefixed stream. */
  public static void kadMessages(byte[] data) {
    try {
      KadMessage m = KadMessage.decode(data);
      check(m.key().length <= KadMessage.MAX_KEY);
      check(m.closerPeers().size() <= KadMessage.MAX_PEERS);
      check(m.providerPeers().size() <= KadMessage.MAX_PEERS);
      for (KadPeer p : m.closerPeers()) {
        check(p.addrs().size() <= KadPeer.MAX_ADDRESSES);
      }
      check(KadMessage.decode(m.encode()).equals(m));
    } catch (ProtocolViolationException expected) {
      // declared
    }
    try {
      KadMessage.read(new java.io.ByteArrayInputStream(data));
    } catch (java.io.IOException expected) {
      // declared: ProtocolViolationException, or a truncated stream
    }
  }

  /** AutoNAT v2 dial-request messages and the dial-back message. */
  public static void autonatMessages(byte[] data) {
    try {
      AutonatMessage m = AutonatMessage.decode(data);
      byte[] again = m.encode();
      check(java.util.Arrays.equals(again, AutonatMessage.decode(again).encode()));
      if (m instanceof AutonatMessage.DialRequest r) {
        check(r.addresses().size() <= AutonatMessage.MAX_ADDRESSES);
      }
    } catch (ProtocolViolationException expected) {
      // declared
    }
    try {
      DialBack b = DialBack.decode(data);
      check(DialBack.decode(b.encode()).equals(b));
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  /** DCUtR HolePunch messages. */
  public static void dcutrMessages(byte[] data) {
    try {
      HolePunchMessage m = HolePunchMessage.decode(data);
      check(m.addresses().size() <= HolePunchMessage.MAX_ADDRESSES);
      check(HolePunchMessage.decode(m.encode()).equals(m));
    } catch (ProtocolViolationException expected) {
      // declared
    }
  }

  /** A {@code /dure/blobs/1.0.0} frame, a blob manifest, and the same bytes as a stream. */
  public static void blobFrames(byte[] data) {
    try {
      org.dure.net.blobs.BlobFrame f = org.dure.net.blobs.BlobFrameCodec.decode(data);
      byte[] again = org.dure.net.blobs.BlobFrameCodec.encode(f);
      check(java.util.Arrays.equals(again, data));
      if (f instanceof org.dure.net.blobs.BlobFrame.Manifest m) {
        blobManifest(m.encoded());
      }
    } catch (ProtocolViolationException expected) {
      // declared
    }
    blobManifest(data);
    try {
      org.dure.net.protocol.LengthPrefixed.read(
          new java.io.ByteArrayInputStream(data), org.dure.net.blobs.BlobFrameCodec.MAX_FRAME);
    } catch (java.io.IOException expected) {
      // declared: ProtocolViolationException, or a truncated stream
    }
  }

  private static void blobManifest(byte[] data) {
    try {
      org.dure.store.blob.BlobManifest m = org.dure.store.blob.BlobManifest.decode(data);
      check(m.chunks().size() <= org.dure.store.blob.BlobManifest.MAX_CHUNKS);
      check(java.util.Arrays.equals(m.encode(), data)); // canonical: one value, one encoding
    } catch (org.dure.store.blob.BlobFormatException expected) {
      // declared
    }
  }

  public static void multiaddrBytes(byte[] data) {
    try {
      Multiaddr m = Multiaddr.fromBytes(data);
      check(Multiaddr.fromBytes(m.toBytes()).equals(m));
    } catch (MultiaddrFormatException expected) {
      // declared
    }
  }

  public static void multiaddrText(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8);
    try {
      Multiaddr m = Multiaddr.parse(s);
      check(Multiaddr.fromBytes(m.toBytes()).equals(m));
    } catch (MultiaddrFormatException expected) {
      // declared
    }
  }

  public static void publicKeyAndPeerId(byte[] data) {
    try {
      LibP2pPublicKey k = LibP2pPublicKey.fromProtobuf(data);
      k.verify(data, data);
    } catch (InvalidPublicKeyException | IllegalArgumentException expected) {
      // declared
    }
    try {
      PeerId.fromBytes(data);
    } catch (InvalidPeerIdException expected) {
      // declared
    }
    try {
      PeerId.parse(new String(data, StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException expected) {
      // declared
    }
  }

  private static void declared(DecoderException e) {
    if (!(e.getCause() instanceof ProtocolViolationException)) {
      throw e;
    }
  }

  private static void check(boolean condition) {
    if (!condition) {
      throw new AssertionError("decoder invariant violated");
    }
  }

  /** Every target, for iteration in tests. */
  public static final java.util.Map<String, java.util.function.Consumer<byte[]>> ALL =
      java.util.Map.ofEntries(
          java.util.Map.entry("varint", DecoderTargets::varint),
          java.util.Map.entry("multistream", DecoderTargets::multistream),
          java.util.Map.entry("noisePayload", DecoderTargets::noisePayload),
          java.util.Map.entry("noiseHandshake", DecoderTargets::noiseHandshake),
          java.util.Map.entry("noiseFrames", DecoderTargets::noiseFrames),
          java.util.Map.entry("yamuxFrames", DecoderTargets::yamuxFrames),
          java.util.Map.entry("yamuxSession", DecoderTargets::yamuxSession),
          java.util.Map.entry("identify", DecoderTargets::identify),
          java.util.Map.entry("relayMessages", DecoderTargets::relayMessages),
          java.util.Map.entry("kadMessages", DecoderTargets::kadMessages),
          java.util.Map.entry("autonatMessages", DecoderTargets::autonatMessages),
          java.util.Map.entry("dcutrMessages", DecoderTargets::dcutrMessages),
          java.util.Map.entry("blobFrames", DecoderTargets::blobFrames),
          java.util.Map.entry("multiaddrBytes", DecoderTargets::multiaddrBytes),
          java.util.Map.entry("multiaddrText", DecoderTargets::multiaddrText),
          java.util.Map.entry("publicKeyAndPeerId", DecoderTargets::publicKeyAndPeerId));

  static YamuxFrame unused() {
    return null;
  }
}
