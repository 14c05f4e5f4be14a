package org.dure.net.host;

import io.netty.channel.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dure.identity.LibP2pPublicKey;
import org.dure.identity.PeerId;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.yamux.YamuxSession;

/** A secured, multiplexed connection to one peer. Thread-safe. */
public final class Connection {
  private final StreamRouter streams;
  private final Channel channel;
  private final PeerId remotePeer;
  private final LibP2pPublicKey remoteKey;
  private final Direction direction;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final boolean earlyMuxer;
  private volatile YamuxSession session;
  private volatile boolean holePunched;
  private volatile boolean probe;
  private final CompletableFuture<IdentifyMessage> identified = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  Connection(
      StreamRouter streams,
      Channel channel,
      PeerId remotePeer,
      LibP2pPublicKey remoteKey,
      Direction direction,
      Multiaddr remoteAddress,
      Multiaddr localAddress,
      boolean earlyMuxer) {
    this.streams = streams;
    this.channel = channel;
    this.remotePeer = remotePeer;
    this.remoteKey = remoteKey;
    this.direction = direction;
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    this.earlyMuxer = earlyMuxer;
  }

  void attach(YamuxSession session) {
    this.session = session;
  }

  YamuxSession session() {
    return session;
  }

  Channel channel() {
    return channel;
  }

  public PeerId remotePeer() {
    return remotePeer;
  }

  /** The remote's authenticated identity key. */
  public LibP2pPublicKey remotePublicKey() {
    return remoteKey;
  }

  public Direction direction() {
    return direction;
  }

  /** The remote's transport address (without {@code /p2p/}). */
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  public Multiaddr localAddress() {
    return localAddress;
  }

  /** Whether this connection runs through a relay (its remote address has {@code /p2p-circuit}). */
  public boolean isRelayed() {
    return remoteAddress.first(org.dure.net.multiaddr.Protocol.P2P_CIRCUIT) != null;
  }

  /**
   * Whether this direct connection came from a hole punch (DCUtR) between two peers that first met
   * through a relay.
   */
  public boolean isHolePunched() {
    return holePunched;
  }

  /** Records that this connection came from a hole punch (called by the DCUtR service). */
  public void markHolePunched() {
    if (isRelayed()) {
      throw new IllegalStateException("a relayed connection is not hole-punched");
    }
    holePunched = true;
  }

  /** Whether this is a short-lived probe connection ({@link Host#dialProbe}). */
  public boolean isProbe() {
    return probe;
  }

  void markProbe() {
    probe = true;
  }

  /**
   * How this connection reaches the peer, as the network page says it: {@code "relayed"}, {@code
   * "hole-punched"} or {@code "direct"}.
   */
  public String kind() {
    return isRelayed() ? "relayed" : holePunched ? "hole-punched" : "direct";
  }

  /**
   * Whether the connection was closed because the remote stopped answering keep-alive pings: it
   * died silently (no FIN, no RST), e.g. a Wi-Fi drop or a rebooted router.
   */
  public boolean diedSilently() {
    YamuxSession s = session;
    return s != null && s.keepAliveFailed();
  }

  /**
   * Whether this closed connection was lost rather than ended: neither side said it was closing it
   * (no GoAway), e.g. a reset, an end of stream, or keep-alive pings that went unanswered. A hint
   * that the network changed under this node's other connections too.
   */
  public boolean wasLost() {
    YamuxSession s = session;
    return s != null && !s.isOpen() && !s.remoteGoAway() && !s.closedLocally();
  }

  /** Whether the remote said it was closing the connection on purpose (Yamux GoAway). */
  public boolean closedByRemote() {
    YamuxSession s = session;
    return s != null && s.remoteGoAway();
  }

  /** Whether Yamux was agreed inside the Noise handshake rather than by multistream-select. */
  public boolean usedEarlyMuxerNegotiation() {
    return earlyMuxer;
  }

  public boolean isOpen() {
    YamuxSession s = session;
    return s != null && s.isOpen();
  }

  /**
   * Whether this connection can carry new streams: open, and neither side has said it is going away
   * (a connection being closed stays open until its streams finish).
   */
  public boolean acceptsNewStreams() {
    YamuxSession s = session;
    return s != null && s.acceptsNewStreams();
  }

  public int streamCount() {
    YamuxSession s = session;
    return s == null ? 0 : s.streamCount();
  }

  /** Opens a stream and negotiates the first protocol the remote supports. */
  public Stream newStream(String... protocols) throws IOException {
    return streams.open(this, List.of(protocols));
  }

  /**
   * Checks now that the remote still answers (a Yamux ping); a connection that heard nothing from
   * it within {@code timeout} is closed as one that {@linkplain #diedSilently() died silently}.
   *
   * @return completes with whether the remote answered in time
   */
  public CompletableFuture<Boolean> checkAlive(Duration timeout) {
    YamuxSession s = session;
    return s == null ? CompletableFuture.completedFuture(false) : s.checkAlive(timeout);
  }

  /** Yamux-level ping round trip (not the {@code /ipfs/ping/1.0.0} protocol). */
  public CompletableFuture<Duration> yamuxPing() {
    return session.ping();
  }

  /** Completes with the remote's identify response. */
  public CompletableFuture<IdentifyMessage> identified() {
    return identified;
  }

  CompletableFuture<IdentifyMessage> identifiedFuture() {
    return identified;
  }

  /** Completes when the connection has closed. */
  public CompletableFuture<Void> closeFuture() {
    return closed;
  }

  void markClosed() {
    closed.complete(null);
  }

  /**
   * Closes gracefully (Yamux GoAway, then TCP close). A hole-punched connection ends with a reset
   * instead of a FIN: its address pair (both listen ports) must not sit in TIME_WAIT for a minute,
   * since the next hole punch between the same two peers can only use that very pair.
   */
  public void close() {
    if (holePunched && channel.isOpen()) {
      try {
        channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
      } catch (io.netty.channel.ChannelException e) {
        // closed meanwhile: nothing left to reset
      }
    }
    YamuxSession s = session;
    if (s != null) {
      s.close();
    } else {
      channel.close();
    }
  }

  @Override
  public String toString() {
    return "Connection[" + remotePeer + " " + direction + " " + remoteAddress + "]";
  }
}
