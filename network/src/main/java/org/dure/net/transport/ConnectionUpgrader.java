package org.dure.net.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dure.identity.Identity;
import org.dure.identity.InvalidPublicKeyException;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.PeerIdMismatchException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.base.WireIdentity;
import org.dure.net.multistream.MultistreamCodec;
import org.dure.net.multistream.MultistreamMachine;
import org.dure.net.noise.NoiseCipherState;
import org.dure.net.noise.NoiseFrameCodec;
import org.dure.net.noise.NoiseHandshake;
import org.dure.net.noise.NoiseHandshakePayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a raw TCP channel: multistream-select {@code /noise}, the Noise XX handshake with the
 * libp2p payload, then Yamux, agreed inside the handshake (early muxer negotiation) when both sides
 * list it, else by multistream-select over the secured channel ({@link MuxerNegotiator}).
 */
public final class ConnectionUpgrader extends ByteToMessageDecoder {
  public static final String NOISE_PROTOCOL = "/noise";
  public static final String YAMUX_PROTOCOL = "/yamux/1.0.0";
  static final byte[] STATIC_KEY_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);

  private final boolean initiator;
  private final Identity identity;
  private final PeerId expectedRemote;
  private final UpgradeListener listener;
  private final boolean offerEarlyMuxer;
  private final MultistreamMachine mss;
  private final NoiseHandshake noise;
  private NoiseHandshakePayload remotePayload;
  private boolean failed;

  /**
   * @param expectedRemote the peer the dialler expects ({@code null}: accept any)
   * @param offerEarlyMuxer whether to list Yamux in the Noise extensions
   */
  public ConnectionUpgrader(
      boolean initiator,
      Identity identity,
      PeerId expectedRemote,
      UpgradeListener listener,
      boolean offerEarlyMuxer) {
    this.initiator = initiator;
    this.identity = identity;
    this.expectedRemote = expectedRemote;
    this.listener = listener;
    this.offerEarlyMuxer = offerEarlyMuxer;
    this.mss = new MultistreamMachine(initiator, NOISE_PROTOCOL);
    this.noise = new NoiseHandshake(initiator, NoiseHandshake.generateKeyPair());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    begin(ctx);
    super.channelActive(ctx);
  }

  private boolean begun;

  private void begin(ChannelHandlerContext ctx) {
    if (!begun) {
      begun = true;
      ctx.writeAndFlush(Unpooled.wrappedBuffer(mss.start()));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (failed) {
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
        if (mss.isDone() && initiator) {
          writeNoise(ctx, noise.writeMessage(new byte[0]));
        }
      }
      while (!noise.isComplete()) {
        if (in.readableBytes() < 2) {
          return;
        }
        int len = in.getUnsignedShort(in.readerIndex());
        if (in.readableBytes() < 2 + len) {
          return;
        }
        in.skipBytes(2);
        byte[] msg = new byte[len];
        in.readBytes(msg);
        byte[] payload = noise.readMessage(msg);
        if (noise.remoteStaticKey() != null && remotePayload == null) {
          remotePayload = verify(payload, noise.remoteStaticKey());
        }
        if (!noise.isComplete()) {
          writeNoise(ctx, noise.writeMessage(localPayload().encode()));
        }
      }
      finish(ctx);
    } catch (Exception e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private NoiseHandshakePayload localPayload() {
    byte[] toSign = concat(STATIC_KEY_PREFIX, noise.localStaticKey());
    return new NoiseHandshakePayload(
        identity.publicKey().toProtobuf(),
        identity.sign(toSign),
        offerEarlyMuxer ? List.of(YAMUX_PROTOCOL) : List.of());
  }

  private NoiseHandshakePayload verify(byte[] payload, byte[] remoteStatic)
      throws NetworkException {
    NoiseHandshakePayload p = NoiseHandshakePayload.decode(payload);
    LibP2pPublicKey key = WireIdentity.publicKey(p.identityKey());
    if (!key.verify(concat(STATIC_KEY_PREFIX, remoteStatic), p.identitySignature())) {
      throw new ProtocolViolationException("invalid noise static key signature");
    }
    PeerId id = PeerId.fromPublicKey(key);
    if (expectedRemote != null && !expectedRemote.equals(id)) {
      throw new PeerIdMismatchException(
          "dialled " + expectedRemote + " but the remote authenticated as " + id);
    }
    return p;
  }

  private void finish(ChannelHandlerContext ctx) {
    NoiseCipherState[] ciphers = noise.split();
    LibP2pPublicKey key;
    try {
      key = LibP2pPublicKey.fromProtobuf(remotePayload.identityKey());
    } catch (InvalidPublicKeyException e) {
      throw new IllegalStateException(e);
    }
    PeerId remote = PeerId.fromPublicKey(key);
    boolean early = offerEarlyMuxer && remotePayload.streamMuxers().contains(YAMUX_PROTOCOL);
    String name = ctx.name();
    ctx.pipeline().addAfter(name, "noise", new NoiseFrameCodec(ciphers[0], ciphers[1]));
    failed = true; // nothing more for this handler; remaining bytes go to the new handlers
    if (early) {
      listener.onUpgraded(ctx.channel(), remote, key, true);
    } else {
      ctx.pipeline()
          .addAfter("noise", "muxer-select", new MuxerNegotiator(initiator, remote, key, listener));
    }
    ctx.pipeline().remove(this);
  }

  private void writeNoise(ChannelHandlerContext ctx, byte[] msg) {
    ByteBuf b = ctx.alloc().buffer(2 + msg.length);
    b.writeShort(msg.length);
    b.writeBytes(msg);
    ctx.writeAndFlush(b);
  }

  /**
   * For a noise handshake done after this completes, the handler is removed; a late write from the
   * initiator of message 3 happens in {@code decode} before removal.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    LOG.debug("connection upgrade with {} failed: {}", ctx.channel().remoteAddress(), c.toString());
    failed = true;
    listener.onFailed(ctx.channel(), c);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!failed) {
      failed = true;
      listener.onFailed(ctx.channel(), new NetworkException("connection closed during upgrade"));
    }
    super.channelInactive(ctx);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
