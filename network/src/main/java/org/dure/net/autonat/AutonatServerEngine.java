package org.dure.net.autonat;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.dure.identity.PeerId;
import org.dure.net.autonat.AutonatMessage.DialRequest;
import org.dure.net.autonat.AutonatMessage.ResponseStatus;
import org.dure.net.multiaddr.IpScope;
import org.dure.net.multiaddr.Multiaddr;

/**
 * What an AutoNAT v2 server does with a dial request, without I/O: whether it serves it at all
 * (consent, rate limits per peer and overall, dials in progress), and which address it dials.
 *
 * <p>Amplification: "If this selected address has an IP address different from the requesting
 * node's observed IP address, server initiates the Amplification attack prevention mechanism"
 * (asking for 30–100 kB of dial data first). This server never selects such an address: it is
 * unwilling to dial any IP but the one the request came from, so a peer cannot aim it at a third
 * party at all, and answers {@code E_DIAL_REFUSED} when no address is at the requester's IP. It
 * also never dials a private, loopback or relayed address (unless configured for tests).
 *
 * <p>Thread-safe; time comes from the given nanosecond clock.
 */
public final class AutonatServerEngine {
  private static final long MINUTE = 60_000_000_000L;
  private static final int MAX_TRACKED_PEERS = 1024;

  /** The server's answer to a request. */
  public sealed interface Decision permits Refuse, Dial {}

  /** Answer at once with {@code status} and dial nothing. */
  public record Refuse(ResponseStatus status, String reason) implements Decision {}

  /** Dial {@code address}, the {@code index}-th of the request; call {@link #finished} after. */
  public record Dial(int index, Multiaddr address) implements Decision {}

  private final AutonatConfig config;
  private final LongSupplier nanos;
  private final Deque<Long> recent = new ArrayDeque<>();
  private final Map<PeerId, Deque<Long>> perPeer = new LinkedHashMap<>(16, 0.75f, true);
  private int dialling;

  public AutonatServerEngine(AutonatConfig config, LongSupplier nanos) {
    this.config = config;
    this.nanos = nanos;
  }

  /**
   * Decides about one request.
   *
   * @param permitted whether this node serves {@code peer} at all (consent: a member of my spaces,
   *     or anyone with "help others" on)
   * @param observedIp the IP the request's connection comes from ({@code null} when it is relayed:
   *     then nothing can be checked and the request is rejected)
   */
  public synchronized Decision decide(
      PeerId peer, DialRequest request, InetAddress observedIp, boolean permitted) {
    if (!permitted) {
      return new Refuse(ResponseStatus.E_REQUEST_REJECTED, "not serving this peer");
    }
    if (observedIp == null) {
      return new Refuse(ResponseStatus.E_REQUEST_REJECTED, "request over a relayed connection");
    }
    long now = nanos.getAsLong();
    Deque<Long> mine = perPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
    expire(mine, now);
    expire(recent, now);
    if (mine.size() >= config.requestsPerPeerPerMinute()) {
      return new Refuse(ResponseStatus.E_REQUEST_REJECTED, "too many requests from this peer");
    }
    if (recent.size() >= config.requestsPerMinute() || dialling >= config.concurrentDials()) {
      return new Refuse(ResponseStatus.E_REQUEST_REJECTED, "too many requests");
    }
    mine.addLast(now);
    recent.addLast(now);
    while (perPeer.size() > MAX_TRACKED_PEERS) {
      PeerId oldest = perPeer.keySet().iterator().next();
      perPeer.remove(oldest);
    }
    List<Multiaddr> addrs = request.addresses();
    for (int i = 0; i < addrs.size(); i++) {
      Multiaddr a = addrs.get(i).withoutPeerId();
      if (!IpScope.isDialableTcp(a, config.allowPrivateAddresses())) {
        continue;
      }
      if (!observedIp.equals(IpScope.ipOf(a))) {
        continue; // another machine's address: never dialled (amplification)
      }
      dialling++;
      return new Dial(i, a);
    }
    return new Refuse(
        ResponseStatus.E_DIAL_REFUSED, "no public TCP address at the requester's own IP");
  }

  /** A dial decided by {@link #decide} has ended. */
  public synchronized void finished() {
    if (dialling > 0) {
      dialling--;
    }
  }

  private static void expire(Deque<Long> times, long now) {
    while (!times.isEmpty() && now - times.peekFirst() >= MINUTE) {
      times.removeFirst();
    }
  }
}
