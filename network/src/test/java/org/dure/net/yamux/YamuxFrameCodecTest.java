package org.dure.net.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.HexFormat;
import org.dure.net.ProtocolViolationException;
import org.junit.jupiter.api.Test;

class YamuxFrameCodecTest {
  @Test
  void encodesTwelveByteBigEndianHeader() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(1024));
    ch.writeOutbound(YamuxFrame.data(3, YamuxFrame.SYN | YamuxFrame.FIN, new byte[] {7, 8}));
    ByteBuf b = ch.readOutbound();
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    b.release();
    assertArrayEquals(HexFormat.of().parseHex("000000050000000300000002" + "0708"), bytes);
  }

  @Test
  void decodesFramesSplitAcrossReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(1024));
    byte[] wire =
        HexFormat.of().parseHex("0000000100000001000000030a0b0c" + "000100020000000100001000");
    ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, 5));
    assertNull(ch.readInbound());
    ch.writeInbound(Unpooled.wrappedBuffer(wire, 5, wire.length - 5));
    assertEquals(YamuxFrame.data(1, YamuxFrame.SYN, new byte[] {10, 11, 12}), ch.readInbound());
    assertEquals(YamuxFrame.windowUpdate(1, YamuxFrame.ACK, 4096), ch.readInbound());
  }

  @Test
  void rejectsVersionOneAndDiscardsTheRest() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(1024));
    DecoderException e =
        assertThrows(
            DecoderException.class,
            () ->
                ch.writeInbound(
                    Unpooled.wrappedBuffer(HexFormat.of().parseHex("010200000000000000000000"))));
    assertInstanceOf(ProtocolViolationException.class, e.getCause());
    assertFalse(
        ch.writeInbound(
            Unpooled.wrappedBuffer(HexFormat.of().parseHex("000200010000000000000001"))));
  }

  @Test
  void rejectsOversizedDataFrameBeforeItsBodyArrives() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(1024));
    assertThrows(
        DecoderException.class,
        () ->
            ch.writeInbound(
                Unpooled.wrappedBuffer(HexFormat.of().parseHex("0000000000000001ffffffff"))));
  }

  @Test
  void rejectsUnknownType() {
    EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameCodec(1024));
    assertThrows(
        DecoderException.class,
        () ->
            ch.writeInbound(
                Unpooled.wrappedBuffer(HexFormat.of().parseHex("000400000000000000000000"))));
  }
}
