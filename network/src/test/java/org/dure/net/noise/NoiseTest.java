package org.dure.net.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import java.util.Random;
import org.dure.net.ProtocolViolationException;
import org.junit.jupiter.api.Test;

class NoiseTest {
  static NoiseHandshake[] handshake() throws Exception {
    NoiseHandshake i = new NoiseHandshake(true, NoiseHandshake.generateKeyPair());
    NoiseHandshake r = new NoiseHandshake(false, NoiseHandshake.generateKeyPair());
    assertArrayEquals(new byte[0], r.readMessage(i.writeMessage(new byte[0])));
    assertArrayEquals(new byte[] {1, 2}, i.readMessage(r.writeMessage(new byte[] {1, 2})));
    assertArrayEquals(new byte[] {3}, r.readMessage(i.writeMessage(new byte[] {3})));
    assertTrue(i.isComplete() && r.isComplete());
    assertArrayEquals(i.localStaticKey(), r.remoteStaticKey());
    assertArrayEquals(r.localStaticKey(), i.remoteStaticKey());
    return new NoiseHandshake[] {i, r};
  }

  @Test
  void xxHandshakeAgreesOnTransportKeys() throws Exception {
    NoiseHandshake[] hs = handshake();
    NoiseCipherState[] ic = hs[0].split();
    NoiseCipherState[] rc = hs[1].split();
    byte[] ct = ic[0].encrypt(new byte[0], new byte[] {9, 8, 7}, 0, 3);
    assertArrayEquals(new byte[] {9, 8, 7}, rc[1].decrypt(new byte[0], ct, 0, ct.length));
    byte[] back = rc[0].encrypt(new byte[0], new byte[] {6}, 0, 1);
    assertArrayEquals(new byte[] {6}, ic[1].decrypt(new byte[0], back, 0, back.length));
  }

  @Test
  void tamperedHandshakeMessageIsRejected() throws Exception {
    NoiseHandshake i = new NoiseHandshake(true, NoiseHandshake.generateKeyPair());
    NoiseHandshake r = new NoiseHandshake(false, NoiseHandshake.generateKeyPair());
    r.readMessage(i.writeMessage(new byte[0]));
    byte[] m2 = r.writeMessage(new byte[] {1});
    m2[40] ^= 1;
    assertThrows(ProtocolViolationException.class, () -> i.readMessage(m2));
    NoiseHandshake j = new NoiseHandshake(false, NoiseHandshake.generateKeyPair());
    assertThrows(ProtocolViolationException.class, () -> j.readMessage(new byte[5]));
  }

  @Test
  void payloadRoundTripsWithMuxerExtension() throws Exception {
    NoiseHandshakePayload p =
        new NoiseHandshakePayload(new byte[] {1}, new byte[] {2, 3}, List.of("/yamux/1.0.0"));
    byte[] enc = p.encode();
    // 0a 01 01 | 12 02 02 03 | 22 0e (12 0c "/yamux/1.0.0")
    assertEquals(0x22, enc[7] & 0xff);
    assertEquals(p, NoiseHandshakePayload.decode(enc));
    NoiseHandshakePayload none =
        new NoiseHandshakePayload(new byte[] {1}, new byte[] {2}, List.of());
    assertEquals(List.of(), NoiseHandshakePayload.decode(none.encode()).streamMuxers());
    assertThrows(
        ProtocolViolationException.class,
        () -> NoiseHandshakePayload.decode(new byte[] {0x0a, 0x01, 0x01}));
  }

  @Test
  void frameCodecSplitsLargeWritesAndDecryptsOnTheOtherSide() throws Exception {
    NoiseHandshake[] hs = handshake();
    NoiseCipherState[] ic = hs[0].split();
    NoiseCipherState[] rc = hs[1].split();
    EmbeddedChannel sender = new EmbeddedChannel(new NoiseFrameCodec(ic[0], ic[1]));
    EmbeddedChannel receiver = new EmbeddedChannel(new NoiseFrameCodec(rc[0], rc[1]));
    byte[] data = new byte[200_000];
    new Random(1).nextBytes(data);
    sender.writeOutbound(Unpooled.wrappedBuffer(data));
    ByteBuf wire = sender.readOutbound();
    assertEquals(data.length + 4 * (2 + 16), wire.readableBytes());
    assertEquals(NoiseFrameCodec.MAX_FRAME, wire.getUnsignedShort(0));
    // deliver in odd-sized pieces
    ByteBuf received = Unpooled.buffer();
    while (wire.isReadable()) {
      receiver.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 7777)));
      for (ByteBuf b; (b = receiver.readInbound()) != null; ) {
        received.writeBytes(b);
        b.release();
      }
    }
    wire.release();
    byte[] out = new byte[received.readableBytes()];
    received.readBytes(out);
    assertArrayEquals(data, out);
  }

  @Test
  void tamperedFrameFailsAndLaterInputIsDiscarded() throws Exception {
    NoiseHandshake[] hs = handshake();
    NoiseCipherState[] ic = hs[0].split();
    NoiseCipherState[] rc = hs[1].split();
    EmbeddedChannel sender = new EmbeddedChannel(new NoiseFrameCodec(ic[0], ic[1]));
    EmbeddedChannel receiver = new EmbeddedChannel(new NoiseFrameCodec(rc[0], rc[1]));
    sender.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    ByteBuf wire = sender.readOutbound();
    wire.setByte(4, wire.getByte(4) ^ 0x40);
    assertThrows(DecoderException.class, () -> receiver.writeInbound(wire));
    sender.writeOutbound(Unpooled.wrappedBuffer(new byte[] {4}));
    assertFalse(receiver.writeInbound((ByteBuf) sender.readOutbound()));
  }

  @Test
  void encryptingHeapDirectAndCompositeBuffersMatchesTheArrayForm() throws Exception {
    byte[] key = new byte[32];
    new Random(2).nextBytes(key);
    NoiseCipherState reference = new NoiseCipherState(key);
    NoiseCipherState parts = new NoiseCipherState(key);
    NoiseCipherState receiver = new NoiseCipherState(key);
    Random random = new Random(3);
    for (int size : new int[] {0, 1, 12, 63, 64, 65, 1000, 65519}) {
      byte[] pt = new byte[size];
      random.nextBytes(pt);
      int split = size / 3;
      ByteBuf direct = Unpooled.directBuffer(size - split).writeBytes(pt, split, size - split);
      ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(pt, 0, split), direct);
      byte[] expected = reference.encrypt(new byte[0], pt, 0, size);
      byte[] out = new byte[size + NoiseCipherState.TAG_LENGTH + 5];
      int n = parts.encrypt(composite, composite.readerIndex(), size, out, 5);
      composite.release();
      assertEquals(expected.length, n);
      assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 5, 5 + n));
      byte[] back = new byte[size];
      assertEquals(size, receiver.decrypt(out, 5, n, back, 0));
      assertArrayEquals(pt, back);
    }
  }

  @Test
  void writesBetweenFlushesArePackedIntoFullFramesAndAllPromisesComplete() throws Exception {
    NoiseHandshake[] hs = handshake();
    NoiseCipherState[] ic = hs[0].split();
    NoiseCipherState[] rc = hs[1].split();
    EmbeddedChannel sender = new EmbeddedChannel(new NoiseFrameCodec(ic[0], ic[1]));
    EmbeddedChannel receiver = new EmbeddedChannel(new NoiseFrameCodec(rc[0], rc[1]));
    byte[] data = new byte[3 * 40_000];
    new Random(4).nextBytes(data);
    List<io.netty.channel.ChannelFuture> writes = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      writes.add(sender.write(Unpooled.wrappedBuffer(data, i * 40_000, 40_000)));
    }
    assertTrue(sender.outboundMessages().isEmpty(), "nothing is encrypted before the flush");
    sender.flush();
    ByteBuf wire = sender.readOutbound();
    // two messages (65519 + 54481 bytes of plaintext), not one short message per write
    assertEquals(data.length + 2 * (2 + 16), wire.readableBytes());
    assertEquals(NoiseFrameCodec.MAX_FRAME, wire.getUnsignedShort(0));
    for (io.netty.channel.ChannelFuture f : writes) {
      assertTrue(f.isSuccess());
    }
    receiver.writeInbound(wire);
    ByteBuf received = Unpooled.buffer();
    for (ByteBuf b; (b = receiver.readInbound()) != null; ) {
      received.writeBytes(b);
      b.release();
    }
    byte[] out = new byte[received.readableBytes()];
    received.readBytes(out);
    assertArrayEquals(data, out);
  }
}
