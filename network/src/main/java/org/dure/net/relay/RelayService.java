package org.dure.net.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.host.UploadLimiter;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.protocol.LengthPrefixed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of circuit v2: serves {@value #HOP} on a {@link Host}. A peer the {@link
 * RelayPolicy} allows may RESERVE a slot; a peer may then CONNECT to a peer holding a reservation,
 * and the relay opens {@value #STOP} on the target and joins the two streams into a relayed
 * connection, within the circuit's {@link RelayLimit} and paced by the policy's limiter.
 *
 * <p>Threads: each hop stream is served on the host's handler thread (a virtual thread), which
 * stays in the circuit while it lasts; each direction of a circuit is copied by a virtual thread.
 */
public final class RelayService implements AutoCloseable {
  public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";
  public static final String STOP = "/libp2p/circuit/relay/0.2.0/stop";

  private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);
  private static final int CHUNK = 16 * 1024;
  private static final int MAX_ADDRESSES = 8;

  private final Host host;
  private final RelayConfig config;
  private final RelayPolicy policy;
  private final Clock clock;
  private final Map<PeerId, Instant> reservations = new ConcurrentHashMap<>();
  private final Map<PeerId, Integer> circuitsPerPeer = new ConcurrentHashMap<>();
  private final Set<Circuit> circuits = ConcurrentHashMap.newKeySet();
  private final AtomicLong relayedBytes = new AtomicLong();
  private int circuitCount;
  private final ConnectionListener dropOnDisconnect =
      new ConnectionListener() {
        @Override
        public void disconnected(Connection connection) {
          PeerId p = connection.remotePeer();
          if (directConnection(p) == null) {
            reservations.remove(p);
          }
        }
      };

  public RelayService(Host host, RelayConfig config, RelayPolicy policy) {
    this(host, config, policy, Clock.systemUTC());
  }

  /** For tests: with a given clock for reservation expiry. */
  public RelayService(Host host, RelayConfig config, RelayPolicy policy, Clock clock) {
    this.host = host;
    this.config = config;
    this.policy = policy;
    this.clock = clock;
  }

  /** Serves {@value #HOP} on the host. */
  public RelayService start() {
    host.addConnectionListener(dropOnDisconnect);
    host.setHandler(HOP, this::serveHop);
    return this;
  }

  /** Stops serving: removes the handler, drops reservations and resets every circuit. */
  public void stop() {
    host.removeHandler(HOP);
    host.removeConnectionListener(dropOnDisconnect);
    reservations.clear();
    for (Circuit c : circuits) {
      c.abort();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Peers holding an unexpired reservation. */
  public Set<PeerId> reservations() {
    Instant now = clock.instant();
    Set<PeerId> out = new java.util.HashSet<>();
    reservations.forEach(
        (p, e) -> {
          if (e.isAfter(now)) {
            out.add(p);
          }
        });
    return out;
  }

  /** Circuits open now. */
  public synchronized int activeCircuits() {
    return circuitCount;
  }

  /** Bytes relayed (both directions, all circuits) since start. */
  public long relayedBytes() {
    return relayedBytes.get();
  }

  // ------------------------------------------------------------------ hop

  private void serveHop(Stream s) throws IOException {
    Duration timeout = host.connectionManager().limits().handshakeTimeout();
    s.setReadTimeout(timeout.toMillis());
    // Over 4 KiB: a protocol violation; the host resets the stream without reading the body.
    byte[] body = LengthPrefixed.read(s.inputStream(), HopMessage.MAX_SIZE);
    if (body == null) {
      s.close();
      return;
    }
    HopMessage m;
    try {
      m = HopMessage.decode(body);
    } catch (ProtocolViolationException e) {
      // The framing is intact, so the peer can be told why before the stream closes.
      LOG.debug("malformed hop message from {}: {}", s.remotePeer(), e.getMessage());
      refuse(s, RelayStatus.MALFORMED_MESSAGE);
      s.close();
      return;
    }
    if (s.connection().isRelayed()) {
      // No relaying over a relayed connection: circuits would chain without bound.
      refuse(s, RelayStatus.PERMISSION_DENIED);
      s.close();
      return;
    }
    switch (m.type()) {
      case RESERVE -> reserve(s);
      case CONNECT -> connect(s, m);
      case STATUS -> {
        refuse(s, RelayStatus.UNEXPECTED_MESSAGE);
        s.close();
      }
    }
  }

  private static void refuse(Stream s, RelayStatus status) {
    try {
      HopMessage.status(status).write(s.outputStream());
    } catch (IOException e) {
      // the peer went away; nothing to tell it
    }
  }

  private RelayLimit wireLimit() {
    RelayLimit l = config.limit();
    return l.equals(RelayLimit.NONE) ? null : l;
  }

  private void reserve(Stream s) throws IOException {
    PeerId peer = s.remotePeer();
    if (!policy.allowReservation(peer)) {
      LOG.debug("reservation by {} refused by policy", peer);
      refuse(s, RelayStatus.RESERVATION_REFUSED);
      s.close();
      return;
    }
    Instant now = clock.instant();
    Instant expiry = now.plus(config.reservationTtl());
    synchronized (reservations) {
      reservations.values().removeIf(e -> !e.isAfter(now));
      if (!reservations.containsKey(peer) && reservations.size() >= config.maxReservations()) {
        LOG.debug("reservation by {} refused: {} reservations held", peer, reservations.size());
        refuse(s, RelayStatus.RESERVATION_REFUSED);
        s.close();
        return;
      }
      reservations.put(peer, expiry);
    }
    // External addresses (a port forwarded on the router) first: they are the ones a peer
    // elsewhere on the internet can dial.
    List<Multiaddr> addrs = new ArrayList<>();
    for (Multiaddr a : host.advertisedAddresses()) {
      if (a.first(org.dure.net.multiaddr.Protocol.P2P_CIRCUIT) == null && !addrs.contains(a)) {
        addrs.add(host.externalAddresses().contains(a.withoutPeerId()) ? 0 : addrs.size(), a);
      }
    }
    if (addrs.size() > MAX_ADDRESSES) {
      addrs = addrs.subList(0, MAX_ADDRESSES);
    }
    new HopMessage(
            HopMessage.Type.STATUS,
            null,
            new Reservation(expiry.getEpochSecond(), addrs, null),
            wireLimit(),
            RelayStatus.OK)
        .write(s.outputStream());
    LOG.debug("{} reserved a slot until {}", peer, expiry);
    s.close();
  }

  private Connection directConnection(PeerId peer) {
    for (Connection c : host.connectionManager().connections(peer)) {
      if (!c.isRelayed() && c.acceptsNewStreams()) {
        return c;
      }
    }
    return null;
  }

  private void connect(Stream s, HopMessage m) throws IOException {
    if (m.peer() == null) {
      refuse(s, RelayStatus.MALFORMED_MESSAGE);
      s.close();
      return;
    }
    PeerId source = s.remotePeer();
    PeerId target = m.peer().id();
    if (source.equals(target) || target.equals(host.peerId())) {
      refuse(s, RelayStatus.PERMISSION_DENIED); // no circuit to oneself, nor to the relay
      s.close();
      return;
    }
    if (!policy.allowCircuit(source, target)) {
      LOG.debug("circuit {} -> {} refused by policy", source, target);
      refuse(s, RelayStatus.PERMISSION_DENIED);
      s.close();
      return;
    }
    Instant expiry = reservations.get(target);
    Connection targetConnection = directConnection(target);
    if (expiry == null || !expiry.isAfter(clock.instant()) || targetConnection == null) {
      refuse(s, RelayStatus.NO_RESERVATION);
      s.close();
      return;
    }
    if (!acquire(source, target)) {
      LOG.debug("circuit {} -> {} refused: too many circuits", source, target);
      refuse(s, RelayStatus.RESOURCE_LIMIT_EXCEEDED);
      s.close();
      return;
    }
    try {
      Stream stop;
      try {
        stop = targetConnection.newStream(STOP);
      } catch (IOException e) {
        LOG.debug("cannot open stop stream to {}: {}", target, e.toString());
        refuse(s, RelayStatus.CONNECTION_FAILED);
        s.close();
        return;
      }
      try {
        stop.setReadTimeout(host.connectionManager().limits().handshakeTimeout().toMillis());
        StopMessage.connect(RelayPeer.of(source), wireLimit()).write(stop.outputStream());
        StopMessage reply = StopMessage.read(stop.inputStream());
        if (reply == null
            || reply.type() != StopMessage.Type.STATUS
            || reply.status() != RelayStatus.OK) {
          LOG.debug(
              "{} did not accept the circuit from {}: {}",
              target,
              source,
              reply == null ? "stream closed" : reply.type() + " " + reply.status());
          stop.close();
          refuse(s, RelayStatus.CONNECTION_FAILED);
          s.close();
          return;
        }
        stop.setReadTimeout(0);
      } catch (IOException e) {
        LOG.debug("stop handshake with {} failed: {}", target, e.toString());
        stop.reset();
        refuse(s, RelayStatus.CONNECTION_FAILED);
        s.close();
        return;
      }
      s.setReadTimeout(0);
      try {
        new HopMessage(HopMessage.Type.STATUS, null, null, wireLimit(), RelayStatus.OK)
            .write(s.outputStream());
      } catch (IOException e) {
        stop.reset();
        throw e;
      }
      LOG.debug("relaying {} -> {}", source, target);
      new Circuit(s, stop, config.limit(), policy.limiter()).run();
    } finally {
      release(source, target);
    }
  }

  private synchronized boolean acquire(PeerId source, PeerId target) {
    int max = config.maxCircuitsPerPeer();
    if (circuitCount >= config.maxCircuits()
        || circuitsPerPeer.getOrDefault(source, 0) >= max
        || circuitsPerPeer.getOrDefault(target, 0) >= max) {
      return false;
    }
    circuitCount++;
    circuitsPerPeer.merge(source, 1, Integer::sum);
    circuitsPerPeer.merge(target, 1, Integer::sum);
    return true;
  }

  private synchronized void release(PeerId source, PeerId target) {
    circuitCount--;
    circuitsPerPeer.computeIfPresent(source, (p, n) -> n == 1 ? null : n - 1);
    circuitsPerPeer.computeIfPresent(target, (p, n) -> n == 1 ? null : n - 1);
  }

  // ------------------------------------------------------------------ circuits

  /** One relayed connection: two streams joined, within a limit, paced by a limiter. */
  private final class Circuit {
    private final Stream a;
    private final Stream b;
    private final RelayLimit limit;
    private final UploadLimiter limiter;
    private volatile boolean aborted;

    Circuit(Stream a, Stream b, RelayLimit limit, UploadLimiter limiter) {
      this.a = a;
      this.b = b;
      this.limit = limit;
      this.limiter = limiter;
    }

    void run() {
      circuits.add(this);
      try {
        Thread ab = Thread.ofVirtual().name("relay-copy").start(() -> copy(a, b));
        Thread ba = Thread.ofVirtual().name("relay-copy").start(() -> copy(b, a));
        long deadline =
            limit.durationSeconds() == 0
                ? Long.MAX_VALUE
                : System.nanoTime() + limit.duration().toNanos();
        try {
          join(ab, deadline);
          join(ba, deadline);
          if (ab.isAlive() || ba.isAlive()) {
            LOG.debug(
                "circuit {} -> {} reached its duration limit", a.remotePeer(), b.remotePeer());
            abort();
          }
          ab.join();
          ba.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          abort();
        }
        if (!aborted) {
          closeQuietly(a);
          closeQuietly(b);
        }
      } finally {
        circuits.remove(this);
      }
    }

    private static void join(Thread t, long deadline) throws InterruptedException {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(Duration.ofNanos(Math.min(left, Long.MAX_VALUE / 2)));
      }
    }

    void abort() {
      aborted = true;
      a.reset();
      b.reset();
    }

    /** Copies one direction; at its end of input, half-closes the other side. */
    private void copy(Stream from, Stream to) {
      InputStream in = from.inputStream();
      OutputStream out = to.outputStream();
      byte[] buf = new byte[CHUNK];
      long sent = 0;
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (n == 0) {
            continue;
          }
          boolean over = limit.dataBytes() != 0 && sent + n > limit.dataBytes();
          if (over) {
            n = (int) (limit.dataBytes() - sent);
          }
          long wait = limiter.take(n);
          if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
          }
          out.write(buf, 0, n);
          out.flush();
          sent += n;
          relayedBytes.addAndGet(n);
          if (over) {
            LOG.debug(
                "circuit {} -> {} reached its data limit of {} bytes",
                from.remotePeer(),
                to.remotePeer(),
                limit.dataBytes());
            abort();
            return;
          }
        }
        to.closeWrite();
      } catch (IOException e) {
        if (!aborted) {
          LOG.debug(
              "circuit {} -> {} failed: {}", from.remotePeer(), to.remotePeer(), e.toString());
          abort();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
      }
    }

    private static void closeQuietly(Stream s) {
      try {
        s.close();
      } catch (IOException e) {
        s.reset();
      }
    }
  }
}
