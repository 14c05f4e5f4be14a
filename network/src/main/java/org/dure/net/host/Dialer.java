package org.dure.net.host;

import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.multiaddr.Multiaddr;
import org.dure.net.multiaddr.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialling of a host: one address (an open connection to its peer if there is one, TCP from the
 * listen port and again from an ephemeral one, or a {@code /p2p-circuit} address through the {@link
 * CircuitDialer}), a peer (its known addresses in parallel, direct before relayed, then what the
 * {@link PeerRouting} finds), hole punches (registered before they are dialled) and probes. The
 * {@link Upgrader} turns each socket into a connection.
 */
final class Dialer {
  private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);

  /** Most addresses of each kind (direct, relayed) dialled at once by {@link #connect}. */
  static final int MAX_PARALLEL_DIALS = 8;

  /** How long {@link #connect} gives the direct addresses before dialling the relayed ones too. */
  static final long RELAYED_DIAL_DELAY_MS = 500;

  /** When a superseded dial still held the address pair, the punch dials again after this... */
  static final long SUPERSEDE_RETRY_MS = 50;

  /** ...at most this many times. */
  static final int SUPERSEDE_RETRIES = 10;

  private final PeerId self;
  private final ConnectionLimits limits;
  private final ConnectionGater gater;
  private final ConnectionManager connections;
  private final PeerStore peerStore;
  private final LocalAddresses addresses;
  private final HolePunches punches;
  private final Upgrader upgrader;
  private final HostThreads threads;
  private final boolean reusePort;
  private final ReuseDials reuseDials = new ReuseDials();

  /** The {@link #connect} calls under way, by peer: later calls for the same peer wait for them. */
  private final Map<PeerId, CompletableFuture<Connection>> connecting = new ConcurrentHashMap<>();

  private volatile CircuitDialer circuitDialer;
  private volatile PeerRouting peerRouting;

  Dialer(
      PeerId self,
      ConnectionLimits limits,
      ConnectionGater gater,
      ConnectionManager connections,
      PeerStore peerStore,
      LocalAddresses addresses,
      HolePunches punches,
      Upgrader upgrader,
      HostThreads threads,
      boolean reusePort) {
    this.self = self;
    this.limits = limits;
    this.gater = gater;
    this.connections = connections;
    this.peerStore = peerStore;
    this.addresses = addresses;
    this.punches = punches;
    this.upgrader = upgrader;
    this.threads = threads;
    this.reusePort = reusePort;
  }

  void setCircuitDialer(CircuitDialer dialer) {
    this.circuitDialer = dialer;
  }

  void setPeerRouting(PeerRouting routing) {
    this.peerRouting = routing;
  }

  boolean hasPeerRouting() {
    return peerRouting != null;
  }

  // ------------------------------------------------------------------ a peer

  /**
   * See {@link Host#connect(PeerId, Duration)}. Calls for a peer that is being connected to already
   * wait for that connection (up to their own timeout, or until it failed; then they dial
   * themselves), as go-libp2p's swarm synchronises dials: a node's reconnector, AutoRelay, a user's
   * {@code connect} and the sync all asking for a restarted peer at once would otherwise each open
   * a relayed connection, fill the peer's connection limit with them and leave no room for the
   * direct one a hole punch makes.
   */
  Connection connect(PeerId peer, Duration connectTimeout) throws IOException {
    Connection existing = connections.find(peer);
    if (existing != null) {
      return existing;
    }
    CompletableFuture<Connection> mine = new CompletableFuture<>();
    CompletableFuture<Connection> under = connecting.putIfAbsent(peer, mine);
    if (under != null) {
      try {
        return under.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while connecting to " + peer);
      } catch (ExecutionException e) {
        // It may have had a shorter timeout than this call: try with ours.
        LOG.debug("the connection under way to {} failed ({}); dialling", peer, e.getCause());
        return connectNow(peer, connectTimeout);
      } catch (TimeoutException e) {
        LOG.debug("the connection under way to {} takes long; dialling as well", peer);
        return connectNow(peer, connectTimeout);
      }
    }
    try {
      Connection c = connectNow(peer, connectTimeout);
      mine.complete(c);
      return c;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      connecting.remove(peer, mine);
    }
  }

  private Connection connectNow(PeerId peer, Duration connectTimeout) throws IOException {
    Connection existing = connections.find(peer);
    if (existing != null) {
      return existing;
    }
    List<Multiaddr> known =
        peerStore.get(peer).map(PeerStore.PeerRecord::addresses).orElse(List.of());
    IOException failure;
    try {
      return dialAll(peer, known, connectTimeout);
    } catch (IOException e) {
      failure = e;
    }
    // No known address answers: ask the peer routing (the DHT) where the peer is now.
    PeerRouting routing = peerRouting;
    if (routing != null) {
      List<Multiaddr> found = new ArrayList<>();
      for (Multiaddr a : routing.findPeer(peer)) {
        Multiaddr bare = a.withoutPeerId();
        if (!known.contains(bare) && !found.contains(bare)) {
          found.add(bare);
        }
      }
      if (!found.isEmpty()) {
        Connection c = dialAll(peer, found, connectTimeout);
        Multiaddr at = c.remoteAddress() == null ? null : c.remoteAddress().withoutPeerId();
        if (at != null && found.contains(at)) {
          peerStore.addAddresses(peer, List.of(at)); // the one that answered, as itself
        }
        return c;
      }
    }
    throw failure;
  }

  /**
   * Dials {@code peer} at {@code addresses} (without its peer ID), the direct ones in parallel and
   * the relayed ones a moment later; returns the first connection made.
   */
  private Connection dialAll(PeerId peer, List<Multiaddr> addresses, Duration connectTimeout)
      throws IOException {
    List<Multiaddr> direct = new ArrayList<>();
    List<Multiaddr> relayed = new ArrayList<>();
    for (Multiaddr a : addresses) {
      List<Multiaddr> to = a.first(Protocol.P2P_CIRCUIT) != null ? relayed : direct;
      if (to.size() < MAX_PARALLEL_DIALS) {
        to.add(a.withPeerId(peer));
      }
    }
    if (direct.isEmpty() && relayed.isEmpty()) {
      throw new NetworkException("no known addresses for " + peer);
    }
    CompletableFuture<Connection> winner = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(direct.size() + relayed.size());
    AtomicReference<Throwable> last = new AtomicReference<>();
    AtomicBoolean relayedStarted = new AtomicBoolean();
    AtomicInteger directLeft = new AtomicInteger(direct.size());
    Runnable startRelayed =
        () -> {
          if (relayedStarted.compareAndSet(false, true)) {
            for (Multiaddr a : relayed) {
              if (winner.isDone()) {
                left.decrementAndGet();
                continue;
              }
              dialAsync(a, connectTimeout).whenComplete((c, e) -> settle(winner, left, last, c, e));
            }
          }
        };
    for (Multiaddr a : direct) {
      dialAsync(a, connectTimeout)
          .whenComplete(
              (c, e) -> {
                settle(winner, left, last, c, e);
                if (directLeft.decrementAndGet() == 0 && !winner.isDone()) {
                  startRelayed.run(); // every direct address failed: no need to wait
                }
              });
    }
    if (direct.isEmpty()) {
      startRelayed.run();
    } else if (!relayed.isEmpty()) {
      // Direct addresses first (a relayed connection is limited in time and bytes), but without
      // waiting for their timeouts: the relayed ones start a moment later, in parallel.
      ScheduledFuture<?> later =
          threads.group.next().schedule(startRelayed, RELAYED_DIAL_DELAY_MS, TimeUnit.MILLISECONDS);
      winner.whenComplete((c, e) -> later.cancel(false));
    }
    return await(winner, Multiaddr.parse("/p2p/" + peer));
  }

  private static void settle(
      CompletableFuture<Connection> winner,
      AtomicInteger left,
      AtomicReference<Throwable> last,
      Connection c,
      Throwable e) {
    if (c != null) {
      winner.complete(c); // a second one, if any, stays until idle (it may serve others)
    } else {
      last.set(e);
    }
    if (left.decrementAndGet() == 0 && !winner.isDone()) {
      winner.completeExceptionally(last.get());
    }
  }

  /** Waits for a dial a little longer than the handshake timeout. */
  Connection await(CompletableFuture<Connection> f, Multiaddr address) throws IOException {
    try {
      return f.get(limits.handshakeTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while dialling " + address);
    } catch (TimeoutException e) {
      throw new NetworkException("dial to " + address + " timed out");
    } catch (ExecutionException e) {
      throw asIOException(e.getCause(), "dial to " + address + " failed");
    }
  }

  private static IOException asIOException(Throwable t, String message) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof IllegalArgumentException iae) {
      throw iae;
    }
    return new NetworkException(message + ": " + t, t);
  }

  // ------------------------------------------------------------------ an address

  /** See {@link Host#dialAsync(Multiaddr)}; gives up on the TCP connect after the timeout. */
  CompletableFuture<Connection> dialAsync(Multiaddr address, Duration connectTimeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    if (!threads.running) {
      result.completeExceptionally(new IllegalStateException("host not started"));
      return result;
    }
    PeerId expected = address.peerId();
    if (expected != null && expected.equals(self)) {
      result.completeExceptionally(new IllegalArgumentException("cannot dial self"));
      return result;
    }
    boolean circuit = address.first(Protocol.P2P_CIRCUIT) != null;
    if (expected != null) {
      // A relayed connection does not answer a dial of a direct address: that one is wanted.
      Connection existing = connections.find(expected);
      if (existing != null && (circuit || !existing.isRelayed())) {
        result.complete(existing);
        return result;
      }
    }
    if (!gater.allowDial(expected, address)) {
      result.completeExceptionally(new NetworkException("dial to " + address + " denied by gater"));
      return result;
    }
    if (circuit) {
      CircuitDialer d = circuitDialer;
      if (d == null) {
        result.completeExceptionally(
            new NetworkException("cannot dial " + address + ": no relay client on this host"));
        return result;
      }
      try {
        threads.executor.execute(
            () -> {
              try {
                result.complete(d.dial(address, connectTimeout));
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
      } catch (RejectedExecutionException e) {
        result.completeExceptionally(new IllegalStateException("host stopped"));
      }
      return result;
    }
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    InetSocketAddress local =
        reusePort && !target.getAddress().isLoopbackAddress()
            ? addresses.reuseAddress(target)
            : null;
    CompletableFuture<Connection> first =
        upgrader.dial(
            address,
            expected,
            target,
            local,
            connectTimeout,
            Direction.OUTBOUND,
            Upgrader.Purpose.ORDINARY,
            null);
    if (local != null) {
      reuseDials.add(target, first);
    }
    first.whenComplete(
        (c, e) -> {
          if (e == null) {
            result.complete(c);
          } else if (e instanceof PortReuse.LocalFailure) {
            // E.g. the same four-tuple is still in use by a connection being closed: dial from an
            // ephemeral port instead.
            LOG.debug(
                "dial to {} from port {} failed ({}); dialling from another",
                address,
                local.getPort(),
                e.toString());
            upgrader
                .dial(
                    address,
                    expected,
                    target,
                    null,
                    connectTimeout,
                    Direction.OUTBOUND,
                    Upgrader.Purpose.ORDINARY,
                    null)
                .whenComplete(
                    (c2, e2) -> {
                      if (e2 == null) {
                        result.complete(c2);
                      } else {
                        result.completeExceptionally(e2);
                      }
                    });
          } else {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  private static InetSocketAddress tcpTarget(Multiaddr address) {
    InetSocketAddress target = address.toTcpSocketAddress();
    if (target.isUnresolved()) {
      target = new InetSocketAddress(target.getHostString(), target.getPort());
    }
    if (target.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve " + target.getHostString());
    }
    return target;
  }

  // ------------------------------------------------------------------ hole punches and probes

  /** See {@link Host#dialHolePunch}. */
  CompletableFuture<Connection> dialHolePunch(
      Multiaddr address, boolean client, Duration timeout, CompletableFuture<Void> onWire) {
    CompletableFuture<Connection> result = expectHolePunch(address, client, timeout);
    if (onWire != null) {
      result.whenComplete((c, e) -> onWire.complete(null)); // no SYN to wait for any more
    }
    if (result.isDone()) {
      return result;
    }
    InetSocketAddress target = tcpTarget(address);
    // An ordinary dial of the same address from the listen port (a reconnector's, a connect's: it
    // waits in SYN_SENT for a router that drops it) holds the very address pair the punch needs,
    // and would fail it locally; the punch is what can get through: that dial gives way.
    punchDial(address, target, client, timeout, result, SUPERSEDE_RETRIES, onWire);
    return result;
  }

  /** See {@link Host#mayHoldStaleMapping}. */
  boolean mayHoldStaleMapping(Multiaddr address) {
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return reusePort && reuseDials.unanswered(target, System.nanoTime());
  }

  private void punchDial(
      Multiaddr address,
      InetSocketAddress target,
      boolean client,
      Duration timeout,
      CompletableFuture<Connection> result,
      int retries,
      CompletableFuture<Void> onWire) {
    // Once a dial gave way, its socket may still be closing when it is no longer listed.
    boolean superseded =
        reuseDials.supersede(
                target, new NetworkException("dial to " + address + " gave way to a hole punch"))
            || retries < SUPERSEDE_RETRIES;
    InetSocketAddress local = addresses.reuseAddress(target);
    CompletableFuture<Connection> dial =
        upgrader.dial(
            address,
            address.peerId(),
            target,
            local,
            timeout,
            client ? Direction.OUTBOUND : Direction.INBOUND,
            Upgrader.Purpose.HOLE_PUNCH,
            onWire);
    // The next attempt's punch (the peer's retry, served while this one still dials) gives this
    // socket a fresh SYN and timeout in its place.
    reuseDials.add(target, dial);
    dial.whenComplete(
        (c, e) -> {
          if (e == null) {
            HolePunches.completeOrClose(result, c); // the other way in may have been quicker
          } else {
            // Not yet a failure: the other side's SYN may still come in at the listener.
            LOG.debug("hole punch dial to {} failed: {}", address, e.toString());
            if (e instanceof PortReuse.LocalFailure
                && superseded
                && retries > 0
                && !result.isDone()) {
              // The superseded dial's socket closes on its own event loop (late on a busy
              // machine), and a reconnector may have started another: again, a little later.
              threads
                  .group
                  .next()
                  .schedule(
                      () ->
                          punchDial(address, target, client, timeout, result, retries - 1, onWire),
                      SUPERSEDE_RETRY_MS,
                      TimeUnit.MILLISECONDS);
            } else if (e instanceof PortReuse.LocalFailure) {
              // The address pair is taken: the other side's SYN came in at the listener,
              // and that connection is the punched one.
              if (onWire != null) {
                onWire.complete(null); // no SYN of ours will leave
              }
              adoptAccepted(target, address.peerId(), result);
            }
          }
        });
  }

  /** See {@link Host#expectHolePunch}. */
  CompletableFuture<Connection> expectHolePunch(
      Multiaddr address, boolean client, Duration timeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    PeerId expected = address.peerId();
    if (!threads.running) {
      result.completeExceptionally(new IllegalStateException("host not started"));
      return result;
    }
    if (expected == null || expected.equals(self)) {
      result.completeExceptionally(
          new IllegalArgumentException("a hole punch needs another peer's ID: " + address));
      return result;
    }
    if (!gater.allowDial(expected, address)) {
      result.completeExceptionally(new NetworkException("dial to " + address + " denied by gater"));
      return result;
    }
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    if (!PortReuse.supported() || addresses.reuseAddress(target) == null) {
      result.completeExceptionally(
          new NetworkException("no listen port to punch from towards " + address));
      return result;
    }
    HolePunches.Punch existing = punches.get(target);
    if (existing != null
        && existing.peer().equals(expected)
        && existing.client() == client
        && (!existing.result().isDone() || HolePunches.punched(existing.result()))) {
      // The same punch: its SYN may have come in at the listener already (then the connection
      // is, or soon will be, the result), so a second dial would only find the pair taken.
      return existing.result();
    }
    HolePunches.Punch punch = new HolePunches.Punch(expected, client, result);
    punches.put(target, punch);
    // A punch that succeeded stays registered until its time is up, so that dialHolePunch called
    // after the other side's SYN made the connection returns that connection.
    result.whenComplete(
        (c, e) -> {
          if (e != null) {
            punches.remove(target, punch);
          }
        });
    threads
        .group
        .next()
        .schedule(
            () -> {
              result.completeExceptionally(
                  new NetworkException("hole punch to " + address + " timed out"));
              punches.remove(target, punch);
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    return result;
  }

  /**
   * Completes {@code result} with the connection from {@code remote} (an address and port) to
   * {@code peer} that the listener accepted, once its upgrade is done (polled until {@code result}
   * completes, e.g. by its timeout).
   */
  private void adoptAccepted(
      InetSocketAddress remote, PeerId peer, CompletableFuture<Connection> result) {
    Multiaddr from = Multiaddr.fromSocketAddress(remote);
    Runnable check =
        new Runnable() {
          @Override
          public void run() {
            if (result.isDone() || !threads.running) {
              return;
            }
            for (Connection c : connections.connections(peer)) {
              if (c.isOpen() && !c.isRelayed() && from.equals(c.remoteAddress())) {
                if (!c.isHolePunched()) {
                  c.markHolePunched();
                }
                result.complete(c);
                return;
              }
            }
            threads.group.next().schedule(this, 20, TimeUnit.MILLISECONDS);
          }
        };
    check.run();
  }

  /** See {@link Host#dialProbe}. */
  CompletableFuture<Connection> dialProbe(Multiaddr address, Duration timeout) {
    CompletableFuture<Connection> result = new CompletableFuture<>();
    PeerId expected = address.peerId();
    if (!threads.running) {
      result.completeExceptionally(new IllegalStateException("host not started"));
      return result;
    }
    if (!gater.allowDial(expected, address)) {
      result.completeExceptionally(new NetworkException("dial to " + address + " denied by gater"));
      return result;
    }
    InetSocketAddress target;
    try {
      target = tcpTarget(address);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(e);
      return result;
    }
    return upgrader.dial(
        address, expected, target, null, timeout, Direction.OUTBOUND, Upgrader.Purpose.PROBE, null);
  }
}
