package org.dure.net.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.multistream.MultistreamCodec;
import org.dure.net.multistream.MultistreamMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Multistream-select of {@code /yamux/1.0.0} over the secured channel (no early muxer). */
final class MuxerNegotiator extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(MuxerNegotiator.class);

  private final MultistreamMachine mss;
  private final PeerId remote;
  private final LibP2pPublicKey key;
  private final UpgradeListener listener;
  private boolean finished;

  MuxerNegotiator(boolean initiator, PeerId remote, LibP2pPublicKey key, UpgradeListener listener) {
    this.mss = new MultistreamMachine(initiator, ConnectionUpgrader.YAMUX_PROTOCOL);
    this.remote = remote;
    this.key = key;
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(mss.start()));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (finished) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      while (!mss.isDone()) {
        String m = MultistreamCodec.decode(in);
        if (m == null) {
          return;
        }
        byte[] reply = mss.onMessage(m);
        if (reply.length > 0) {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(reply));
        }
      }
    } catch (Exception e) {
      finished = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
    finished = true;
    listener.onUpgraded(ctx.channel(), remote, key, false);
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    LOG.debug("muxer negotiation with {} failed: {}", remote, c.toString());
    finished = true;
    listener.onFailed(ctx.channel(), c);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!finished) {
      finished = true;
      listener.onFailed(
          ctx.channel(), new NetworkException("connection closed during muxer selection"));
    }
    super.channelInactive(ctx);
  }
}
