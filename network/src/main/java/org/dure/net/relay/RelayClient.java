package org.dure.net.relay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Connection;
import org.dure.net.host.Direction;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit v2 on a {@link Host}: reserves slots on relays (and refreshes them),
 * accepts relayed connections that a relay where it holds a reservation opens with {@value
 * RelayService#STOP}, and dials {@code /p2p-circuit} addresses (installed as the host's {@link
 * org.dure.net.host.CircuitDialer}, so {@link Host#dial} takes them). Either way the relayed stream
 * is upgraded with Noise and Yamux like TCP, and the remote must authenticate as the peer named.
 */
public final class RelayClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);
  private static final String CIRCUIT = "/p2p-circuit";

  private final Host host;
  private final Duration refreshInterval;
  private final Map<PeerId, Held> reservations = new ConcurrentHashMap<>();
  private Thread refresher;

  private record Held(Multiaddr relayAddress, Reservation reservation, RelayLimit limit) {}

  /** A client refreshing its reservations every 2 minutes (within the default idle timeout). */
  public RelayClient(Host host) {
    this(host, Duration.ofMinutes(2));
  }

  /**
   * @param refreshInterval how often each reservation is renewed; keep it under the host's idle
   *     timeout, since the reservation lasts only while the connection to the relay does
   */
  public RelayClient(Host host, Duration refreshInterval) {
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("refresh interval must be positive");
    }
    this.host = host;
    this.refreshInterval = refreshInterval;
  }

  /** Serves {@value RelayService#STOP}, installs the circuit dialer and starts refreshing. */
  public synchronized RelayClient start() {
    host.setHandler(RelayService.STOP, this::serveStop);
    host.setCircuitDialer(this::dial);
    refresher = Thread.ofVirtual().name("relay-refresh").start(this::refreshLoop);
    return this;
  }

  public synchronized void stop() {
    host.removeHandler(RelayService.STOP);
    host.setCircuitDialer(null);
    if (refresher != null) {
      refresher.interrupt();
      refresher = null;
    }
    reservations.clear();
  }

  @Override
  public void close() {
    stop();
  }

  private Duration timeout() {
    return host.connectionManager().limits().handshakeTimeout();
  }

  // ------------------------------------------------------------------ reservations

  /**
   * Reserves a slot on the relay at {@code relayAddress} (which must end in {@code /p2p/RELAY}), or
   * renews it, and keeps renewing it.
   *
   * @throws RelayRefusedException if the relay refuses (e.g. RESERVATION_REFUSED)
   */
  public Reservation reserve(Multiaddr relayAddress) throws IOException {
    PeerId relay = relayAddress.peerId();
    if (relay == null) {
      throw new IllegalArgumentException("relay address without /p2p/: " + relayAddress);
    }
    Connection c = host.dial(relayAddress);
    if (c.isRelayed()) {
      throw new NetworkException("will not reserve on " + relay + " through another relay");
    }
    try (Stream s = c.newStream(RelayService.HOP)) {
      s.setReadTimeout(timeout().toMillis());
      HopMessage.reserve().write(s.outputStream());
      HopMessage reply = HopMessage.read(s.inputStream());
      if (reply == null) {
        throw new NetworkException("relay " + relay + " closed the reservation stream");
      }
      if (reply.type() != HopMessage.Type.STATUS) {
        throw new ProtocolViolationException(
            "relay " + relay + " answered a reservation with " + reply.type());
      }
      if (reply.status() != RelayStatus.OK) {
        throw new RelayRefusedException(
            "relay " + relay + " refused the reservation", reply.status());
      }
      if (reply.reservation() == null) {
        throw new ProtocolViolationException("relay " + relay + " sent OK without a reservation");
      }
      reservations.put(relay, new Held(relayAddress, reply.reservation(), reply.limit()));
      LOG.debug("reserved on {} until {}", relay, reply.reservation().expiry());
      return reply.reservation();
    }
  }

  /**
   * Forgets the reservation on {@code relay} (circuit v2 has no message to cancel one: the relay
   * drops it at expiry or when the connection ends); it is no longer renewed, and relayed
   * connections that relay opens to this host are refused from then on.
   */
  public void release(PeerId relay) {
    reservations.remove(relay);
  }

  /** The relays where this host holds a reservation. */
  public List<PeerId> relays() {
    return List.copyOf(reservations.keySet());
  }

  /**
   * The addresses other peers can dial this host at through its relays: each relay address from a
   * reservation, followed by {@code /p2p-circuit/p2p/<this peer>}.
   */
  public List<Multiaddr> relayedAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Held h : reservations.values()) {
      List<Multiaddr> addrs = h.reservation().addrs();
      if (addrs.isEmpty()) {
        addrs = List.of(h.relayAddress());
      }
      for (Multiaddr a : addrs) {
        out.add(Multiaddr.parse(a + CIRCUIT).withPeerId(host.peerId()));
      }
    }
    return out;
  }

  private void refreshLoop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(refreshInterval);
        for (Map.Entry<PeerId, Held> e : reservations.entrySet()) {
          try {
            reserve(e.getValue().relayAddress());
          } catch (IOException | RuntimeException ex) {
            LOG.debug("could not renew the reservation on {}: {}", e.getKey(), ex.toString());
            if (!e.getValue().reservation().expiry().isAfter(java.time.Instant.now())) {
              reservations.remove(e.getKey(), e.getValue());
            }
          }
        }
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }

  // ------------------------------------------------------------------ stop (incoming)

  private void serveStop(Stream s) throws IOException {
    s.setReadTimeout(timeout().toMillis());
    StopMessage m = StopMessage.read(s.inputStream());
    if (m == null) {
      s.close();
      return;
    }
    PeerId relay = s.remotePeer();
    if (m.type() != StopMessage.Type.CONNECT || m.peer() == null) {
      StopMessage.status(
              m.type() == StopMessage.Type.CONNECT
                  ? RelayStatus.MALFORMED_MESSAGE
                  : RelayStatus.UNEXPECTED_MESSAGE)
          .write(s.outputStream());
      s.close();
      return;
    }
    if (!reservations.containsKey(relay) || s.connection().isRelayed()) {
      LOG.debug("refusing a relayed connection from {}: no reservation there", relay);
      StopMessage.status(RelayStatus.PERMISSION_DENIED).write(s.outputStream());
      s.close();
      return;
    }
    PeerId source = m.peer().id();
    StopMessage.status(RelayStatus.OK).write(s.outputStream());
    s.setReadTimeout(0);
    Multiaddr remote = Multiaddr.parse(s.connection().remoteAddress().withPeerId(relay) + CIRCUIT);
    host.upgradeRelayed(s, Direction.INBOUND, source, remote)
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                LOG.debug(
                    "relayed connection from {} via {} failed: {}", source, relay, e.toString());
              } else {
                LOG.debug("relayed connection from {} via {}", source, relay);
              }
            });
  }

  // ------------------------------------------------------------------ dial (outgoing)

  /**
   * Opens a relayed connection to the peer at {@code address}, of the form {@code
   * [/ip4/…/tcp/…]/p2p/RELAY/p2p-circuit/p2p/TARGET}. Usually called through {@link Host#dial}.
   *
   * @throws RelayRefusedException if the relay refuses (NO_RESERVATION, PERMISSION_DENIED, …)
   * @throws org.dure.net.PeerIdMismatchException if the remote authenticates as another peer
   */
  public Connection dial(Multiaddr address) throws IOException {
    return dial(address, host.connectionManager().limits().handshakeTimeout());
  }

  /**
   * {@link #dial(Multiaddr)}, giving up on a TCP connect to the relay after {@code connectTimeout}
   * without an answer (the reconnector's quick tries: a try stuck for the default 10 s in a dial of
   * the relay, while the network was away, held up the reconnection after it came back).
   */
  public Connection dial(Multiaddr address, Duration connectTimeout) throws IOException {
    String text = address.toString();
    int i = text.indexOf(CIRCUIT + "/");
    if (i < 0 && text.endsWith(CIRCUIT)) {
      i = text.length() - CIRCUIT.length();
    }
    if (i <= 0) {
      throw new IllegalArgumentException("not a relay address: " + address);
    }
    Multiaddr relayAddress = Multiaddr.parse(text.substring(0, i));
    Multiaddr rest =
        i + CIRCUIT.length() >= text.length()
            ? null
            : Multiaddr.parse(text.substring(i + CIRCUIT.length()));
    PeerId relay = relayAddress.peerId();
    if (relay == null
        || rest == null
        || rest.components().size() != 1
        || rest.peerId() == null
        || relayAddress.toString().contains(CIRCUIT)) {
      throw new IllegalArgumentException(
          "expected [address]/p2p/RELAY/p2p-circuit/p2p/TARGET, got " + address);
    }
    PeerId target = rest.peerId();
    if (target.equals(host.peerId())) {
      throw new IllegalArgumentException("cannot dial self");
    }
    Connection rc =
        relayAddress.components().size() == 1
            ? host.connect(relay, connectTimeout)
            : host.dial(relayAddress, connectTimeout);
    if (rc.isRelayed()) {
      throw new NetworkException("will not dial " + target + " through a relayed connection");
    }
    Stream s = rc.newStream(RelayService.HOP);
    try {
      s.setReadTimeout(timeout().toMillis());
      HopMessage.connect(RelayPeer.of(target)).write(s.outputStream());
      HopMessage reply = HopMessage.read(s.inputStream());
      if (reply == null) {
        throw new NetworkException("relay " + relay + " closed the stream");
      }
      if (reply.type() != HopMessage.Type.STATUS) {
        throw new ProtocolViolationException(
            "relay " + relay + " answered a connect with " + reply.type());
      }
      if (reply.status() != RelayStatus.OK) {
        throw new RelayRefusedException(
            "relay " + relay + " did not connect us to " + target, reply.status());
      }
      s.setReadTimeout(0);
    } catch (IOException | RuntimeException e) {
      s.reset();
      throw e;
    }
    Multiaddr remote = Multiaddr.parse(rc.remoteAddress().withPeerId(relay) + CIRCUIT);
    try {
      return host.upgradeRelayed(s, Direction.OUTBOUND, target, remote)
          .get(timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.reset();
      throw new InterruptedIOException("interrupted while dialling " + address);
    } catch (TimeoutException e) {
      s.reset();
      throw new NetworkException("relayed connection to " + target + " timed out");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new NetworkException(
          "relayed connection to " + target + " failed: " + e.getCause(), e.getCause());
    }
  }
}
