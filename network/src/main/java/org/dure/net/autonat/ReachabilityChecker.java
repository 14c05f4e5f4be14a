package org.dure.net.autonat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;
import org.dure.net.host.Host;
import org.dure.net.multiaddr.IpScope;
import org.dure.net.multiaddr.Multiaddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link Reachability} current: every round it takes this node's candidate addresses (the
 * observed ones, the external ones such as a forwarded port, public listen addresses) and asks up
 * to {@link #SERVERS_PER_ROUND} connected peers that serve {@value AutonatServer#DIAL_REQUEST}
 * about them, each server asked about an address at most once per {@link #REASK}. Rounds run every
 * {@code interval} (soon after start, so the first answers come quickly), on one timer thread.
 */
public final class ReachabilityChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReachabilityChecker.class);
  public static final int SERVERS_PER_ROUND = 3;
  public static final int MAX_CANDIDATES = 4;
  public static final Duration REASK = Duration.ofMinutes(10);

  private final Host host;
  private final AutonatClient client;
  private final Reachability reachability;
  private final AutonatConfig config;
  private final Duration interval;
  private final Map<String, Long> asked = new HashMap<>(); // server + address -> nanos
  private ScheduledExecutorService timer;

  public ReachabilityChecker(
      Host host,
      AutonatClient client,
      Reachability reachability,
      AutonatConfig config,
      Duration interval) {
    this.host = host;
    this.client = client;
    this.reachability = reachability;
    this.config = config;
    this.interval = interval;
  }

  public synchronized ReachabilityChecker start() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "dure-autonat");
                t.setDaemon(true);
                return t;
              });
      long ms = interval.toMillis();
      timer.scheduleWithFixedDelay(this::round, Math.min(ms, 3000), ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  /** This node's addresses worth asking about, most likely first. */
  List<Multiaddr> candidates() {
    Set<Multiaddr> out = new LinkedHashSet<>();
    out.addAll(host.externalAddresses());
    out.addAll(host.observedAddresses().addresses());
    for (Multiaddr a : host.listenAddresses()) {
      out.add(a.withoutPeerId());
    }
    List<Multiaddr> list = new ArrayList<>();
    for (Multiaddr a : out) {
      if (IpScope.isDialableTcp(a, config.allowPrivateAddresses())
          && list.size() < MAX_CANDIDATES) {
        list.add(a);
      }
    }
    return list;
  }

  /** One round (runs on the timer; tests call it directly). */
  void round() {
    try {
      List<Multiaddr> candidates = candidates();
      if (candidates.isEmpty()) {
        return;
      }
      List<Connection> servers = new ArrayList<>();
      Set<PeerId> seen = new LinkedHashSet<>();
      for (Connection c : host.connectionManager().connections()) {
        if (!c.isRelayed()
            && !c.isProbe()
            && c.acceptsNewStreams()
            && serves(c.remotePeer())
            && seen.add(c.remotePeer())) {
          servers.add(c);
        }
      }
      Collections.shuffle(servers);
      long now = System.nanoTime();
      asked.values().removeIf(t -> now - t > REASK.toNanos());
      int used = 0;
      for (Connection server : servers) {
        if (used >= SERVERS_PER_ROUND) {
          break;
        }
        List<Multiaddr> ask = new ArrayList<>();
        for (Multiaddr a : candidates) {
          if (!asked.containsKey(server.remotePeer() + " " + a)) {
            ask.add(a);
          }
        }
        if (ask.isEmpty()) {
          continue;
        }
        used++;
        try {
          AutonatClient.Result r = client.check(server, ask);
          if (r.address() != null) {
            asked.put(server.remotePeer() + " " + r.address(), System.nanoTime());
            reachability.record(r.server(), r.address(), r.outcome());
            LOG.debug("AutoNAT: {} says {} is {}", r.server(), r.address(), r.outcome());
          } else {
            for (Multiaddr a : ask) {
              asked.put(server.remotePeer() + " " + a, System.nanoTime());
            }
            LOG.debug("AutoNAT: {} did not dial ({})", r.server(), r.detail());
          }
        } catch (IOException | RuntimeException e) {
          LOG.debug("AutoNAT request to {} failed: {}", server.remotePeer(), e.toString());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Checking reachability failed", e);
    }
  }

  private boolean serves(PeerId peer) {
    return host.peerStore()
        .get(peer)
        .map(r -> r.protocols().contains(AutonatServer.DIAL_REQUEST))
        .orElse(false);
  }
}
