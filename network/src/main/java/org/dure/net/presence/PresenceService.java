package org.dure.net.presence;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.dure.identity.PeerId;
import org.dure.net.ProtocolViolationException;
import org.dure.net.host.Connection;
import org.dure.net.host.ConnectionListener;
import org.dure.net.host.Host;
import org.dure.net.host.Stream;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence on a host: tells the connected members of a space which of its pages this node has open
 * ({@link #open}), again every {@link #REFRESH} while it stays open, and that it closed it; takes
 * in what members say (each announcement on a stream of its own, one message, then closed) and
 * forgets it when the ttl runs out or the peer disconnects. Who counts as a member of a space is
 * {@code membersOf}'s answer (the sync access policy's {@code spacesFor}): an announcement from
 * anyone else is dropped, and nobody else is told. Nothing is stored.
 */
public final class PresenceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);

  /** How often an open page is announced again. */
  public static final Duration REFRESH = Duration.ofSeconds(20);

  /** How long an announcement holds without a refresh: a refresh missed is no gap. */
  public static final int TTL_SECONDS = 50;

  private static final long READ_TIMEOUT_MILLIS = 5_000;

  private final Host host;
  private final Function<PeerId, Set<SpaceId>> spacesFor;
  private final PresenceEngine engine = new PresenceEngine();
  private final Map<PageId, Open> open = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ConnectionListener connections =
      new ConnectionListener() {
        @Override
        public void connected(Connection c) {
          announceAllTo(c);
        }

        @Override
        public void disconnected(Connection c) {
          boolean changed;
          synchronized (PresenceService.this) {
            changed =
                host.connectionManager().connections().stream()
                        .noneMatch(o -> o != c && o.remotePeer().equals(c.remotePeer()))
                    && engine.left(c.remotePeer());
          }
          if (changed) {
            fire();
          }
        }
      };
  private Thread ticker;
  private volatile boolean running;

  private record Open(SpaceId space, int count) {}

  /**
   * @param spacesFor the spaces {@code peer} is a member of, as this node sees them
   */
  public PresenceService(Host host, Function<PeerId, Set<SpaceId>> spacesFor) {
    this.host = host;
    this.spacesFor = spacesFor;
  }

  /** Serves the protocol and starts announcing. */
  public synchronized PresenceService start() {
    if (running) {
      return this;
    }
    running = true;
    host.setHandler(PresenceCodec.PROTOCOL, this::serve);
    host.addConnectionListener(connections);
    ticker = Thread.ofVirtual().name("presence").start(this::tick);
    return this;
  }

  @Override
  public void close() {
    List<PageId> pages;
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
      host.removeHandler(PresenceCodec.PROTOCOL);
      host.removeConnectionListener(connections);
      ticker.interrupt();
      pages = List.copyOf(open.keySet());
    }
    for (PageId p : pages) {
      Open o;
      synchronized (this) {
        o = open.get(p);
      }
      if (o != null) {
        announce(new PresenceMessage(o.space(), p, false, 1));
      }
    }
  }

  /** Calls {@code l} (on a network thread) whenever who is on some page changed. */
  public AutoCloseable addListener(Runnable l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /**
   * This node's user opened {@code page} (in one more editor); closing the result closes it. The
   * space's connected members are told now and while it stays open.
   */
  public AutoCloseable open(SpaceId space, PageId page) {
    boolean first;
    synchronized (this) {
      Open o = open.get(page);
      first = o == null;
      open.put(page, new Open(space, first ? 1 : o.count() + 1));
    }
    if (first) {
      announce(new PresenceMessage(space, page, true, TTL_SECONDS));
    }
    boolean[] closed = new boolean[1];
    return () -> {
      boolean last;
      synchronized (this) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
        Open o = open.get(page);
        last = o != null && o.count() == 1;
        if (last) {
          open.remove(page);
        } else if (o != null) {
          open.put(page, new Open(space, o.count() - 1));
        }
      }
      if (last) {
        announce(new PresenceMessage(space, page, false, 1));
      }
    };
  }

  private synchronized Set<PeerId> peers() {
    return engine.peers();
  }

  /** The peers that have {@code page} open, as they said. */
  public synchronized Set<PeerId> on(PageId page) {
    return engine.on(page, System.nanoTime());
  }

  private void tick() {
    long period = REFRESH.toMillis();
    while (running) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      boolean changed;
      Map<PageId, Open> mine;
      synchronized (this) {
        changed = engine.expire(System.nanoTime());
        mine = Map.copyOf(open);
      }
      // A member removed or banned since it said where it is is forgotten there.
      for (PeerId p : peers()) {
        Set<SpaceId> spaces = spacesFor.apply(p);
        synchronized (this) {
          changed |= engine.retain(p, spaces);
        }
      }
      if (changed) {
        fire();
      }
      mine.forEach((p, o) -> announce(new PresenceMessage(o.space(), p, true, TTL_SECONDS)));
    }
  }

  private void announceAllTo(Connection c) {
    Map<PageId, Open> mine;
    synchronized (this) {
      mine = Map.copyOf(open);
    }
    if (mine.isEmpty()) {
      return;
    }
    Set<SpaceId> shared = spacesFor.apply(c.remotePeer());
    mine.forEach(
        (p, o) -> {
          if (shared.contains(o.space())) {
            send(c, new PresenceMessage(o.space(), p, true, TTL_SECONDS));
          }
        });
  }

  /** Sends {@code m} to every connected peer that is a member of its space (one per peer). */
  private void announce(PresenceMessage m) {
    Map<PeerId, Connection> to = new HashMap<>();
    for (Connection c : host.connectionManager().connections()) {
      if (c.isOpen() && !c.isProbe() && c.acceptsNewStreams()) {
        to.putIfAbsent(c.remotePeer(), c);
      }
    }
    to.forEach(
        (peer, c) -> {
          if (spacesFor.apply(peer).contains(m.space())) {
            send(c, m);
          }
        });
  }

  private void send(Connection c, PresenceMessage m) {
    byte[] bytes = PresenceCodec.encode(m);
    Thread.ofVirtual()
        .name("presence-send")
        .start(
            () -> {
              try (Stream s = c.newStream(PresenceCodec.PROTOCOL)) {
                s.writeMessage(bytes);
                s.closeWrite();
              } catch (IOException e) {
                // An older peer without presence, or a connection going away: nothing to do.
                LOG.debug("Presence to {} not sent: {}", c.remotePeer(), e.getMessage());
              }
            });
  }

  /** One announcement from a peer; the stream closes after it. */
  private void serve(Stream stream) throws IOException {
    PeerId remote = stream.remotePeer();
    try (stream) {
      stream.setReadTimeout(READ_TIMEOUT_MILLIS);
      byte[] bytes = stream.readMessage(PresenceCodec.LENGTH);
      if (bytes == null) {
        return;
      }
      PresenceMessage m;
      try {
        m = PresenceCodec.decode(bytes);
      } catch (ProtocolViolationException e) {
        LOG.info("{} sent a malformed presence message: {}", remote, e.getMessage());
        stream.reset();
        return;
      }
      if (!spacesFor.apply(remote).contains(m.space())) {
        LOG.debug("{} announced presence in space {} it is not a member of", remote, m.space());
        return;
      }
      boolean changed;
      synchronized (this) {
        changed = engine.heard(remote, m, System.nanoTime());
      }
      if (changed) {
        fire();
      }
    }
  }

  private void fire() {
    for (Runnable l : listeners) {
      try {
        l.run();
      } catch (RuntimeException e) {
        LOG.warn("A presence listener failed", e);
      }
    }
  }
}
