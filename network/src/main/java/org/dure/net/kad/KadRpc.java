package org.dure.net.kad;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a {@link KadDht}: one request and its answer on a new {@code /ipfs/kad/1.0.0}
 * stream, dialling a peer learnt from the DHT, and the loop that drives a {@link KadLookup} (on the
 * caller's thread; each request on a virtual thread of {@code io}).
 */
final class KadRpc {
  private static final Logger LOG = LoggerFactory.getLogger(KadRpc.class);

  private final Host host;
  private final KadConfig config;
  private final RoutingTable table;
  private final ExecutorService io;
  private final AtomicLong requestsSent;
  private final BooleanSupplier running;

  KadRpc(
      Host host,
      KadConfig config,
      RoutingTable table,
      ExecutorService io,
      AtomicLong requestsSent,
      BooleanSupplier running) {
    this.host = host;
    this.config = config;
    this.table = table;
    this.io = io;
    this.requestsSent = requestsSent;
    this.running = running;
  }

  /** Dials a peer learnt from the DHT, direct addresses first; records what worked. */
  Connection dialFound(KadPeer found) throws IOException {
    List<Multiaddr> addrs = new ArrayList<>(found.addrs());
    addrs.sort(Comparator.comparing(AddressScope::isRelayed));
    IOException last = new NetworkException("no usable address for " + found.id());
    int tried = 0;
    for (Multiaddr a : addrs) {
      if (tried++ >= config.maxAddressesTried()) {
        break;
      }
      try {
        Connection c = host.dial(a.withPeerId(found.id()));
        host.peerStore().addAddresses(found.id(), List.of(a));
        return c;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private record Answer(PeerId from, KadMessage message) {}

  /** Drives {@code lookup} to its end, sending {@code request} to each peer it names. */
  void run(KadLookup lookup, KadMessage request) {
    BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    long deadline = System.nanoTime() + config.lookupTimeout().toNanos();
    try {
      while (running.getAsBoolean() && !lookup.isDone() && System.nanoTime() < deadline) {
        for (KadPeer p : lookup.next(monotonicMillis())) {
          io.execute(() -> answers.add(ask(p, request)));
        }
        if (lookup.isDone()) {
          break;
        }
        long timeout = lookup.nextTimeout();
        long wait = timeout < 0 ? 50 : Math.max(1, timeout - monotonicMillis());
        Answer a = answers.poll(wait, TimeUnit.MILLISECONDS);
        if (a == null) {
          continue;
        }
        if (a.message() == null) {
          lookup.onFailure(a.from());
        } else {
          lookup.onResponse(a.from(), a.message());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private static long monotonicMillis() {
    return System.nanoTime() / 1_000_000;
  }

  /** One request of a lookup; the answer's addresses are filtered by the answerer's scope. */
  private Answer ask(KadPeer p, KadMessage request) {
    try {
      Connection c = connectTo(p);
      KadMessage r = exchange(c, request, true);
      AddressScope from = scopeOf(c);
      return new Answer(
          p.id(), r.reply(filter(r.closerPeers(), from), filter(r.providerPeers(), from)));
    } catch (IOException | RuntimeException e) {
      LOG.debug("kad {} to {} failed: {}", request.type(), p.id(), e.toString());
      table.failed(p.id());
      return new Answer(p.id(), null);
    }
  }

  private static List<KadPeer> filter(List<KadPeer> peers, AddressScope from) {
    List<KadPeer> out = new ArrayList<>();
    for (KadPeer p : peers) {
      out.add(new KadPeer(p.id(), AddressScope.filter(p.addrs(), from, KadPeer.MAX_ADDRESSES)));
    }
    return out;
  }

  /** How far addresses learnt over {@code c} may reach (see {@link AddressScope}). */
  static AddressScope scopeOf(Connection c) {
    AddressScope s = AddressScope.of(c.remoteAddress());
    return s == null ? AddressScope.PUBLIC : s;
  }

  /** An open connection to {@code p}, else a dial of its addresses. */
  Connection connectTo(KadPeer p) throws IOException {
    Connection open = host.connectionManager().find(p.id());
    if (open != null) {
      return open;
    }
    return dialFound(p);
  }

  /**
   * Sends {@code request} on a new stream and reads the answer, of the same type ({@code null}
   * without {@code expectReply}).
   */
  KadMessage exchange(Connection c, KadMessage request, boolean expectReply) throws IOException {
    try (Stream s = c.newStream(KadDht.PROTOCOL)) {
      s.setReadTimeout(config.requestTimeout().toMillis());
      requestsSent.incrementAndGet();
      request.write(s.outputStream());
      if (!expectReply) {
        // No answer comes; the server closes (Dure) or resets (js-libp2p) its side once it has
        // handled the request, so waiting for that tells the record was taken before this returns.
        s.closeWrite();
        try {
          while (s.inputStream().read() >= 0) {
            // a request without answer: ignore anything sent
          }
        } catch (java.net.SocketTimeoutException e) {
          LOG.debug("{} kept its {} stream open", c.remotePeer(), request.type());
        } catch (org.dure.net.StreamResetException e) {
          // js-libp2p resets the stream of a request without answer once it has handled it.
          LOG.debug("{} reset its {} stream after reading it", c.remotePeer(), request.type());
        }
        return null;
      }
      KadMessage r = KadMessage.read(s.inputStream());
      if (r == null) {
        throw new NetworkException("kad stream closed without an answer");
      }
      if (r.type() != request.type()) {
        throw new ProtocolViolationException(
            "kad answer of type " + r.type() + " to " + request.type());
      }
      return r;
    }
  }
}
