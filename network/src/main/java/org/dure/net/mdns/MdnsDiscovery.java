package org.dure.net.mdns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p mDNS discovery on the local network (IPv4 group {@code 224.0.0.251:5353}), wire compatible
 * with js-libp2p's {@code @libp2p/mdns} and go-libp2p.
 *
 * <p>On start and every {@link MdnsConfig#queryInterval()} it multicasts the query {@code
 * _p2p._udp.local PTR} on every interface that is up, supports multicast and is not loopback
 * (interfaces are re-scanned at each query, so ones that appear later are joined). It answers such
 * queries, its own included, with a PTR to {@code <random-peer-name>._p2p._udp.local} and one TXT
 * record {@code dnsaddr=<multiaddr>/p2p/<peer-id>} per listen address (loopback left out, {@code
 * 0.0.0.0} expanded to the interfaces' addresses), and reports peers found in responses to a {@link
 * MdnsListener}.
 *
 * <p>One daemon thread ({@code dure-mdns}) does all socket work and calls the listener. Malformed
 * packets are logged at debug and dropped. The socket is bound with {@code SO_REUSEADDR}, so
 * several processes on one host can share the port.
 */
public final class MdnsDiscovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MdnsDiscovery.class);
  private static final InetAddress GROUP = ipv4Group();

  private final MdnsEngine engine;
  private final MdnsConfig config;
  private final Supplier<? extends List<Multiaddr>> listenAddresses;
  private final MdnsListener listener;
  private final DatagramChannel channel;
  private final Selector selector;
  private final InetSocketAddress groupAddress;
  private final Map<NetworkInterface, MembershipKey> joined = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean queryRequested;
  private volatile List<String> interfaceNames = List.of();
  private static final long NONE = Long.MAX_VALUE;
  private static final int MAX_PACKETS_PER_ROUND = 256;
  private long responseAt = NONE; // when the pending response is due; discovery thread only

  private MdnsDiscovery(
      PeerId self,
      Supplier<? extends List<Multiaddr>> listenAddresses,
      MdnsListener listener,
      MdnsConfig config)
      throws IOException {
    this.engine = new MdnsEngine(self, MdnsEngine.randomPeerName(new SecureRandom()), config);
    this.config = config;
    this.listenAddresses = listenAddresses;
    this.listener = listener;
    this.groupAddress = new InetSocketAddress(GROUP, config.port());
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    Selector sel = null;
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(new InetSocketAddress(config.port()));
      // RFC 6762 §11: IP TTL 255; loopback so that processes on this host see each other.
      ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
      ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      ch.configureBlocking(false);
      sel = Selector.open();
      ch.register(sel, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      ch.close();
      if (sel != null) {
        sel.close();
      }
      throw e;
    }
    this.channel = ch;
    this.selector = sel;
    this.thread = new Thread(this::run, "dure-mdns");
    thread.setDaemon(true);
  }

  /**
   * Starts discovery with the default settings.
   *
   * @see #start(PeerId, Supplier, MdnsListener, MdnsConfig)
   */
  public static MdnsDiscovery start(
      PeerId self, Supplier<? extends List<Multiaddr>> listenAddresses, MdnsListener listener)
      throws IOException {
    return start(self, listenAddresses, listener, MdnsConfig.defaults());
  }

  /**
   * Binds the mDNS port, joins the group and sends the first query.
   *
   * @param self this node's peer id (announced, and skipped in responses)
   * @param listenAddresses asked for the current listen addresses at each response; may contain
   *     {@code /ip4/0.0.0.0/...}, {@code /ip6/::/...} and {@code /p2p/<self>}
   * @param listener told about peers found
   * @throws IOException if the socket cannot be opened or bound
   */
  public static MdnsDiscovery start(
      PeerId self,
      Supplier<? extends List<Multiaddr>> listenAddresses,
      MdnsListener listener,
      MdnsConfig config)
      throws IOException {
    Objects.requireNonNull(self);
    Objects.requireNonNull(listenAddresses);
    Objects.requireNonNull(listener);
    Objects.requireNonNull(config);
    MdnsDiscovery d = new MdnsDiscovery(self, listenAddresses, listener, config);
    d.thread.start();
    return d;
  }

  /** The random peer name announced as {@code <peer-name>._p2p._udp.local}. */
  public String peerName() {
    return engine.peerName();
  }

  /** Names of the interfaces the group is joined on (changes when interfaces come and go). */
  public List<String> interfaceNames() {
    return interfaceNames;
  }

  /** Sends a query now rather than at the next interval. */
  public void queryNow() {
    queryRequested = true;
    selector.wakeup();
  }

  /** Stops the thread and closes the socket. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    selector.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("mdns: closing selector", e);
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("mdns: closing channel", e);
    }
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(DnsMessage.MAX_PACKET + 1);
    long interval = config.queryInterval().toNanos();
    long nextQuery = System.nanoTime();
    try {
      while (!closed) {
        long now = System.nanoTime();
        if (queryRequested || now - nextQuery >= 0) {
          queryRequested = false;
          rescanInterfaces();
          send(engine.queryPacket(), "query");
          nextQuery = now + interval;
        }
        respondIfDue();
        long wake = nextQuery - now;
        if (responseAt != NONE) {
          wake = Math.min(wake, responseAt - now);
        }
        selector.select(Math.max(1, (wake + 999_999) / 1_000_000));
        selector.selectedKeys().clear();
        receiveAll(buf);
        respondIfDue();
      }
    } catch (ClosedChannelException e) {
      // closed by close()
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.warn("mdns: discovery stopped after an error", e);
      }
    } finally {
      closed = true;
      closeQuietly();
    }
  }

  /**
   * Reads what is queued, at most {@link #MAX_PACKETS_PER_ROUND}, so a flood cannot starve timers.
   */
  private void receiveAll(ByteBuffer buf) throws IOException {
    for (int i = 0; i < MAX_PACKETS_PER_ROUND && !closed; i++) {
      InetSocketAddress from = (InetSocketAddress) channel.receive(buf.clear());
      if (from == null) {
        return;
      }
      if (buf.position() > DnsMessage.MAX_PACKET) {
        LOG.debug("mdns: dropped a packet over {} bytes from {}", DnsMessage.MAX_PACKET, from);
        continue;
      }
      MdnsEngine.Incoming in;
      try {
        in = engine.onPacket(buf.array(), buf.position());
      } catch (DnsFormatException e) {
        LOG.debug("mdns: malformed packet from {}: {}", from, e.getMessage());
        continue;
      } catch (RuntimeException e) {
        // A bug here must not stop discovery for everyone else's packets.
        LOG.warn("mdns: could not handle a packet from {}", from, e);
        continue;
      }
      if (in.answerQuery()) {
        long when = engine.scheduleResponse(System.nanoTime());
        if (when != -1) {
          responseAt = when;
        }
      }
      in.peers().forEach((peer, addrs) -> notify(peer, addrs, from));
    }
  }

  private void respondIfDue() {
    long now = System.nanoTime();
    if (responseAt != NONE && now - responseAt >= 0) {
      respond();
      engine.responseSent(now);
      responseAt = NONE;
    }
  }

  private void notify(PeerId peer, List<Multiaddr> addrs, InetSocketAddress from) {
    if (addrs.isEmpty()) {
      return;
    }
    LOG.debug("mdns: peer {} at {} (from {})", peer, addrs, from);
    try {
      listener.onPeer(peer, addrs);
    } catch (RuntimeException e) {
      LOG.warn("mdns: listener failed for peer {}", peer, e);
    }
  }

  private void respond() {
    List<Multiaddr> listen;
    try {
      listen = List.copyOf(listenAddresses.get());
    } catch (RuntimeException e) {
      LOG.warn("mdns: listen address supplier failed", e);
      return;
    }
    List<InetAddress> local = new ArrayList<>();
    for (NetworkInterface ni : joined.keySet()) {
      local.addAll(Collections.list(ni.getInetAddresses()));
    }
    byte[] packet = engine.responsePacket(engine.announceable(listen, local));
    if (packet != null) {
      send(packet, "response");
    }
  }

  private void send(byte[] packet, String what) {
    for (NetworkInterface ni : joined.keySet()) {
      try {
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
        channel.send(ByteBuffer.wrap(packet), groupAddress);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.debug("mdns: sending {} on {} failed: {}", what, ni.getName(), e.toString());
      }
    }
  }

  /** Joins the group on new usable interfaces and drops those that went away. */
  private void rescanInterfaces() {
    List<NetworkInterface> usable = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (isUsable(ni)) {
          usable.add(ni);
        }
      }
    } catch (SocketException e) {
      LOG.debug("mdns: listing interfaces failed", e);
      return;
    }
    for (var it = joined.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!usable.contains(e.getKey())) {
        e.getValue().drop();
        it.remove();
        LOG.debug("mdns: left {}", e.getKey().getName());
      }
    }
    for (NetworkInterface ni : usable) {
      if (!joined.containsKey(ni)) {
        try {
          joined.put(ni, channel.join(GROUP, ni));
          LOG.debug("mdns: joined {} on {}", GROUP, ni.getName());
        } catch (IOException | UnsupportedOperationException e) {
          LOG.debug("mdns: joining on {} failed: {}", ni.getName(), e.toString());
        }
      }
    }
    interfaceNames = joined.keySet().stream().map(NetworkInterface::getName).toList();
  }

  private static boolean isUsable(NetworkInterface ni) {
    try {
      if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) {
        return false;
      }
    } catch (SocketException e) {
      return false;
    }
    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
      if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
        return true;
      }
    }
    return false;
  }

  private static InetAddress ipv4Group() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251});
    } catch (java.net.UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
