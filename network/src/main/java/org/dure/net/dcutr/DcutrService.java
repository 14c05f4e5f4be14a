package org.dure.net.dcutr;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.dure.identity.PeerId;
import org.dure.net.NetworkException;
import org.dure.net.ProtocolViolationException;
import org.dure.net.StreamResetException;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Direction;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.net.identify.IdentifyMessage;
import org.dure.net.multiaddr.IpScope;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DCUtR on a {@link Host}: serves {@value #PROTOCOL} and, when a relayed connection comes in from a
 * peer that speaks it, tries to replace it with a direct one. First a plain dial of the peer's
 * public addresses (it may be reachable after all), then up to {@link DcutrConfig#attempts()} hole
 * punches run by a {@link DcutrEngine}, the dials done with {@link Host#dialHolePunch}. The direct
 * connection is {@linkplain Connection#markHolePunched() marked}, new streams go to it ({@link
 * org.dure.net.host.ConnectionManager#find} prefers direct connections), and the relayed one is
 * closed after {@link DcutrConfig#gracePeriod()}, so the relay carries nothing more. When every
 * attempt fails (a router that changes the port per destination), the relayed connection stays.
 *
 * <p>At most one punch runs with a peer at a time, also when both peers dialled each other through
 * the relay and each would start one ({@link PunchRoles}: the punch started by the smaller peer ID
 * goes on, the other stands down without counting as a failure).
 *
 * <p>Threads: each punch runs on a virtual thread, at most one per peer; the stream handler runs on
 * the host's handler thread.
 */
public final class DcutrService implements AutoCloseable {
  public static final String PROTOCOL = "/libp2p/dcutr";
  private static final Logger LOG = LoggerFactory.getLogger(DcutrService.class);

  /** How long a direct connection found at the start of a punch may take to answer a ping. */
  private static final Duration ALIVE_CHECK = Duration.ofSeconds(3);

  /** How long a dial before a message may take to put its SYN on the wire. */
  private static final Duration ON_WIRE_WAIT = Duration.ofSeconds(1);

  /** How long a refused CONNECT waits for the peer's own CONNECT, which crossed it. */
  private static final Duration YIELD_WAIT = Duration.ofSeconds(2);

  private final Host host;
  private final DcutrConfig config;
  private final PunchRoles roles; // guarded by itself
  private final List<HolePunchListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private final ConnectionListener trigger =
      new ConnectionListener() {
        @Override
        public void identified(Connection c, IdentifyMessage m, boolean push) {
          if (!push
              && running
              && c.isRelayed()
              && c.direction() == Direction.INBOUND
              && m.protocols().contains(PROTOCOL)) {
            upgradeAsync(c, m.listenAddrs());
          }
        }
      };

  public DcutrService(Host host, DcutrConfig config) {
    this.host = host;
    this.config = config;
    this.roles = new PunchRoles(host.peerId());
  }

  /** Serves the protocol and starts upgrading inbound relayed connections. */
  public synchronized DcutrService start() {
    running = true;
    host.setHandler(PROTOCOL, this::serve);
    host.addConnectionListener(trigger);
    return this;
  }

  public synchronized void stop() {
    running = false;
    host.removeConnectionListener(trigger);
    host.removeHandler(PROTOCOL);
  }

  @Override
  public void close() {
    stop();
  }

  public void addListener(HolePunchListener l) {
    listeners.add(l);
  }

  public void removeListener(HolePunchListener l) {
    listeners.remove(l);
  }

  /** The addresses this node tells the other side to punch to: observed ones first. */
  List<Multiaddr> ownAddresses() {
    Set<Multiaddr> out = new LinkedHashSet<>();
    out.addAll(host.observedAddresses().addresses());
    out.addAll(host.externalAddresses());
    for (Multiaddr a : host.listenAddresses()) {
      out.add(a.withoutPeerId());
    }
    List<Multiaddr> list = new ArrayList<>();
    for (Multiaddr a : out) {
      if (IpScope.isDialableTcp(a, config.allowPrivateAddresses())) {
        list.add(a);
      }
    }
    return list.subList(0, Math.min(list.size(), HolePunchMessage.MAX_ADDRESSES));
  }

  // ------------------------------------------------------------------ B: the inbound side

  private void upgradeAsync(Connection relayed, List<Multiaddr> advertised) {
    PeerId peer = relayed.remotePeer();
    synchronized (roles) {
      if (!roles.startInitiator(peer)) {
        return;
      }
    }
    Thread.ofVirtual()
        .name("dcutr " + peer)
        .start(
            () -> {
              try {
                upgrade(relayed, advertised);
              } finally {
                synchronized (roles) {
                  roles.endInitiator(peer);
                }
              }
            });
  }

  /**
   * Runs B's side: a direct dial of the public addresses A advertises (in identify on the relayed
   * connection; not addresses remembered from earlier connections, which a router may have
   * forgotten), then hole punches, until one gives a direct connection.
   */
  void upgrade(Connection relayed, List<Multiaddr> advertised) {
    PeerId peer = relayed.remotePeer();
    long start = System.nanoTime();
    Connection existing = direct(peer);
    if (existing != null) {
      // The peer came over the relay although a direct connection is up: that one may have died
      // silently (a router that changed its address). Only a live one makes the punch needless.
      try {
        if (existing.checkAlive(ALIVE_CHECK).get()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        return;
      }
      LOG.debug("the direct connection to {} is dead; punching a new one", peer);
    }
    // "If that set includes public addresses, then A may be reachable by a direct connection, in
    // which case B attempts a unilateral connection upgrade."
    List<Multiaddr> known = config.directDialFirst() ? advertised : List.of();
    for (Multiaddr a : known) {
      if (!running || !relayed.isOpen()) {
        return;
      }
      if (IpScope.isDialableTcp(a, config.allowPrivateAddresses())) {
        try {
          Connection c =
              host.dialAsync(a.withPeerId(peer))
                  .get(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
          if (!c.isRelayed()) {
            done(relayed, c, start, 0);
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("direct dial of {} at {} failed: {}", peer, a, e.toString());
        }
      }
    }
    String reason = "no attempt";
    for (int attempt = 1; attempt <= config.attempts(); attempt++) {
      if (!running || !relayed.isOpen()) {
        return;
      }
      try {
        Connection c = punchAsInitiator(relayed);
        done(relayed, c, start, attempt);
        return;
      } catch (IOException | RuntimeException e) {
        reason = e.getMessage();
        LOG.debug("hole punch {} of {} with {} failed: {}", attempt, config.attempts(), peer, e);
        try {
          if (e instanceof StreamResetException && gaveWay(peer)) {
            return;
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Connection c = direct(peer);
      if (c != null) {
        done(relayed, c, start, attempt);
        return;
      }
    }
    LOG.info("Hole punching to {} failed ({}); staying on the relay", peer, reason);
    for (HolePunchListener l : listeners) {
      l.failed(peer, reason);
    }
  }

  /**
   * After {@code peer} reset this node's CONNECT: whether that was because both started a punch at
   * once and the peer's goes on (see {@link PunchRoles}). Then this node serves the peer's punch,
   * whose outcome is reported there; waits for it to end.
   */
  private boolean gaveWay(PeerId peer) throws InterruptedException {
    synchronized (roles) {
      if (roles.winsOver(peer)) {
        return false; // the peer had no reason to prefer its own punch
      }
    }
    // The peer's CONNECT crossed ours: it arrives within about a round trip of its reset.
    long end = System.nanoTime() + YIELD_WAIT.toNanos();
    long last = end + config.streamTimeout().plus(config.dialTimeout()).toNanos();
    while (true) {
      boolean yielded;
      boolean serving;
      synchronized (roles) {
        yielded = roles.yielded(peer);
        serving = roles.responding(peer);
      }
      if (yielded && !serving) {
        LOG.debug("hole punch with {}: its punch and ours crossed, its went on", peer);
        return true;
      }
      long now = System.nanoTime();
      if ((!yielded && now - end > 0) || now - last > 0) {
        return false;
      }
      Thread.sleep(20);
    }
  }

  private Connection punchAsInitiator(Connection relayed) throws IOException, InterruptedException {
    PeerId peer = relayed.remotePeer();
    DcutrEngine engine =
        DcutrEngine.initiator(ownAddresses(), config.allowPrivateAddresses(), dialFirst(peer));
    List<CompletableFuture<Connection>> tries = new ArrayList<>();
    List<DcutrEngine.Dial> later;
    try (Stream s = relayed.newStream(PROTOCOL)) {
      s.setReadTimeout(config.streamTimeout().toMillis());
      engine.start(System.nanoTime()).write(s.outputStream());
      HolePunchMessage reply = HolePunchMessage.read(s.inputStream());
      if (reply == null) {
        throw new NetworkException(peer + " closed the DCUtR stream");
      }
      List<DcutrEngine.Step> steps = engine.onMessage(reply, System.nanoTime());
      expect(peer, steps); // before SYNC: A dials as soon as it arrives
      later = carryOut(peer, steps, s, tries);
    }
    startLater(peer, later, tries);
    return first(peer, tries, () -> true);
  }

  // ------------------------------------------------------------------ A: the stream's receiver

  private void serve(Stream s) throws IOException {
    Connection relayed = s.connection();
    if (!relayed.isRelayed()) {
      // The protocol is for relayed connections only; a direct one needs no upgrade.
      s.reset();
      return;
    }
    PeerId peer = relayed.remotePeer();
    PunchRoles.Answer answer;
    long attempt;
    synchronized (roles) {
      answer = roles.startResponder(peer);
      attempt = answer == PunchRoles.Answer.REFUSE_OURS_WINS ? 0 : roles.servedAttempt(peer);
    }
    switch (answer) {
      case REFUSE_OURS_WINS -> {
        LOG.debug("{} and this node started a hole punch at once; ours goes on", peer);
        s.reset();
        return;
      }
      case SERVE_REPLACING ->
          LOG.debug("{} sent its next hole punch attempt; it replaces the one being served", peer);
      case SERVE -> {}
    }
    long start = System.nanoTime();
    try {
      DcutrEngine engine =
          DcutrEngine.responder(ownAddresses(), config.allowPrivateAddresses(), dialFirst(peer));
      s.setReadTimeout(config.streamTimeout().toMillis());
      List<CompletableFuture<Connection>> tries = new ArrayList<>();
      List<DcutrEngine.Dial> later = new ArrayList<>();
      while (!engine.isDone()) {
        HolePunchMessage m = HolePunchMessage.read(s.inputStream());
        if (m == null) {
          throw new NetworkException(peer + " closed the DCUtR stream");
        }
        if (m.type() == HolePunchMessage.Type.CONNECT) {
          // B's addresses are known: expect its SYN before answering, it may come early.
          expect(
              peer,
              List.of(new DcutrEngine.Dial(java.time.Duration.ZERO, engineAddresses(m), true)));
        }
        later.addAll(carryOut(peer, engine.onMessage(m, System.nanoTime()), s, tries));
      }
      s.close();
      startLater(peer, later, tries);
      Connection c = first(peer, tries, () -> current(peer, attempt));
      if (current(peer, attempt)) {
        done(relayed, c, start, 1);
      }
    } catch (ProtocolViolationException e) {
      LOG.debug("DCUtR from {}: {}", peer, e.getMessage());
      s.reset();
    } catch (IOException e) {
      if (!current(peer, attempt)) {
        // A newer CONNECT took over; its dial shares (or supersedes) ours, and it reports.
        LOG.debug("hole punch attempt with {} replaced by the next: {}", peer, e.toString());
        return;
      }
      LOG.debug("hole punch with {} failed: {}", peer, e.toString());
      Connection c = direct(peer);
      if (c != null) {
        done(relayed, c, start, 1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (roles) {
        roles.endResponder(peer, attempt);
      }
    }
  }

  private boolean current(PeerId peer, long attempt) {
    synchronized (roles) {
      return roles.isCurrentResponder(peer, attempt);
    }
  }

  // ------------------------------------------------------------------ both

  /** The addresses of a CONNECT this node would dial (as the engine filters them). */
  private List<Multiaddr> engineAddresses(HolePunchMessage m) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : m.addresses()) {
      Multiaddr bare = a.withoutPeerId();
      if (IpScope.isDialableTcp(bare, config.allowPrivateAddresses())
          && !out.contains(bare)
          && out.size() < DcutrEngine.MAX_DIALS) {
        out.add(bare);
      }
    }
    return out;
  }

  /** Registers the coming punch's addresses with the host (see {@link Host#expectHolePunch}). */
  private void expect(PeerId peer, List<DcutrEngine.Step> steps) {
    for (DcutrEngine.Step step : steps) {
      if (step instanceof DcutrEngine.Dial d) {
        for (Multiaddr a : d.addresses()) {
          host.expectHolePunch(
              a.withPeerId(peer), d.client(), config.dialTimeout().plus(config.streamTimeout()));
        }
      }
    }
  }

  /**
   * The addresses of {@code peer} to dial before this side's next message: those its router may
   * still hold an unanswered SYN of ours for ({@link Host#mayHoldStaleMapping}).
   */
  private Predicate<Multiaddr> dialFirst(PeerId peer) {
    return a -> host.mayHoldStaleMapping(a.withPeerId(peer));
  }

  /**
   * Carries out the engine's steps in order: writes each message, starts each dial that comes
   * before a message (waiting, up to {@link #ON_WIRE_WAIT}, until its SYNs have left, so that they
   * are out before the other side reads the message); returns the dials after the last message, for
   * {@link #startLater} once the stream is closed.
   */
  private List<DcutrEngine.Dial> carryOut(
      PeerId peer,
      List<DcutrEngine.Step> steps,
      Stream s,
      List<CompletableFuture<Connection>> tries)
      throws IOException, InterruptedException {
    int lastSend = -1;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof DcutrEngine.Send) {
        lastSend = i;
      }
    }
    List<DcutrEngine.Dial> later = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      DcutrEngine.Step step = steps.get(i);
      if (step instanceof DcutrEngine.Send send) {
        send.message().write(s.outputStream());
      } else if (step instanceof DcutrEngine.Dial d && i > lastSend) {
        later.add(d);
      } else if (step instanceof DcutrEngine.Dial d) {
        List<CompletableFuture<Void>> onWire = new ArrayList<>();
        for (Multiaddr a : d.addresses()) {
          CompletableFuture<Void> wire = new CompletableFuture<>();
          onWire.add(wire);
          tries.add(host.dialHolePunch(a.withPeerId(peer), d.client(), config.dialTimeout(), wire));
        }
        LOG.debug("hole punch with {}: dialling {} before the next message", peer, d.addresses());
        try {
          CompletableFuture.allOf(onWire.toArray(CompletableFuture[]::new))
              .get(ON_WIRE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("hole punch with {}: SYN not on the wire yet ({}); going on", peer, e);
        }
      }
    }
    return later;
  }

  /** Waits each dial's delay and dials all its addresses at once. */
  private void startLater(
      PeerId peer, List<DcutrEngine.Dial> dials, List<CompletableFuture<Connection>> tries)
      throws InterruptedException {
    for (DcutrEngine.Dial dial : dials) {
      if (dial.delay().isPositive()) {
        Thread.sleep(dial.delay());
      }
      for (Multiaddr a : dial.addresses()) {
        tries.add(
            host.dialHolePunch(a.withPeerId(peer), dial.client(), config.dialTimeout(), null));
      }
    }
  }

  /**
   * The first connection any of the attempt's dials makes. At the end the punch is given up if
   * {@code owned} still holds: a punch is shared by the attempts that expect the same address
   * ({@link Host#expectHolePunch}), and an attempt replaced by the peer's next one must not end the
   * punch the next one now waits for.
   */
  private Connection first(
      PeerId peer, List<CompletableFuture<Connection>> tries, BooleanSupplier owned)
      throws IOException, InterruptedException {
    if (tries.isEmpty()) {
      throw new IllegalStateException("the engine ended without a dial");
    }
    CompletableFuture<Connection> first = new CompletableFuture<>();
    for (CompletableFuture<Connection> t : tries) {
      t.whenComplete(
          (c, e) -> {
            if (c != null && !first.complete(c)) {
              c.close(); // one direct connection is enough
            }
            if (tries.stream().allMatch(CompletableFuture::isDone) && !first.isDone()) {
              first.completeExceptionally(
                  e != null ? e : new NetworkException("no hole punch succeeded"));
            }
          });
    }
    try {
      return first.get(config.dialTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new NetworkException("hole punch failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new NetworkException("hole punch to " + peer + " timed out");
    } catch (CancellationException e) {
      throw new NetworkException("hole punch to " + peer + " given up", e);
    } finally {
      if (owned.getAsBoolean()) {
        for (CompletableFuture<Connection> t : tries) {
          t.cancel(false);
        }
      }
    }
  }

  private Connection direct(PeerId peer) {
    for (Connection c : host.connectionManager().connections(peer)) {
      if (!c.isRelayed() && c.acceptsNewStreams()) {
        return c;
      }
    }
    return null;
  }

  /** The direct connection is up: mark it, and close the relayed one after the grace period. */
  private void done(Connection relayed, Connection direct, long start, int attempt) {
    PeerId peer = relayed.remotePeer();
    if (attempt != 0 && !direct.isHolePunched()) {
      direct.markHolePunched();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.info(
        "Direct connection to {} ({}) after {} ms; closing the relayed one",
        peer,
        direct.kind(),
        took.toMillis());
    for (HolePunchListener l : listeners) {
      l.upgraded(peer, direct, took, attempt);
    }
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(config.gracePeriod());
              } catch (InterruptedException e) {
                return;
              }
              relayed.close();
            });
  }
}
