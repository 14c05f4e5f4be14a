package org.dure.moderation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.dure.identity.PeerId;
import org.dure.net.host.ResourceLimits;
import org.dure.net.sync.PeerQuota;
import org.dure.store.format.SyncMessageStats;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.SpaceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-peer rate limits and size limits of {@link ResourceSettings}, on the network's hooks:
 * token buckets per peer for changes and operations a minute and new pages an hour (over them the
 * peer is slowed down: its stream is not read until the bucket allows), hard limits for the size of
 * a message, a change (as sent and inflated), the operations of a change and a new page (over them
 * the input is refused: the stream is reset and the peer penalised), streams at once per peer, and
 * the storage kept for others (over it, no new document is asked for from others and changes to the
 * spaces held for them are declined, without penalty). Settings are read on every decision, so
 * changes apply at once. One log line per peer and limit a minute; every event is kept (the last
 * {@value #KEEP_EVENTS}) and told to listeners. Thread-safe.
 */
public final class RateLimits implements PeerQuota, ResourceLimits {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
  static final int KEEP_EVENTS = 200;
  private static final int MAX_PEERS = 10_000;

  private final Supplier<ResourceSettings> settings;
  private final HeldForOthers storage;
  private final Clock clock;
  private final Map<PeerId, TokenBucket> changes = new ConcurrentHashMap<>();
  private final Map<PeerId, TokenBucket> ops = new ConcurrentHashMap<>();
  private final Map<PeerId, TokenBucket> pages = new ConcurrentHashMap<>();
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
  private final ArrayDeque<LimitEvent> events = new ArrayDeque<>();
  private final List<Consumer<LimitEvent>> listeners = new CopyOnWriteArrayList<>();

  public RateLimits(Supplier<ResourceSettings> settings, HeldForOthers storage, Clock clock) {
    this.settings = settings;
    this.storage = storage;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ hooks

  @Override
  public Verdict messageSize(PeerId peer, long bytes) {
    long max = settings.get().maxMessageBytes();
    if (bytes > max) {
      return refuse(peer, "limit.maxMessageBytes", max, "sent a message of " + bytes + " bytes");
    }
    return Verdict.ACCEPT;
  }

  @Override
  public Verdict changes(PeerId peer, SpaceId space, SyncMessageStats stats) {
    ResourceSettings s = settings.get();
    long size = Math.max(stats.largestChunk(), stats.largestInflated());
    if (size > s.maxChangeBytes()) {
      return refuse(
          peer, "limit.maxChangeBytes", s.maxChangeBytes(), "sent a change of " + size + " bytes");
    }
    if (stats.largestOps() > s.maxOpsPerChange()) {
      return refuse(
          peer,
          "limit.maxOpsPerChange",
          s.maxOpsPerChange(),
          "sent a change of " + stats.largestOps() + " operations");
    }
    if (stats.chunks() == 0) {
      return Verdict.ACCEPT;
    }
    if (storageFull(peer, space)) {
      return Verdict.decline("the storage kept for others is full");
    }
    TokenBucket b = bucket(changes, peer, s.changesPerMinute(), Duration.ofMinutes(1));
    Duration wait = b.take(stats.chunks());
    if (!wait.isZero()) {
      slowed(peer, "limit.changesPerMinute", s.changesPerMinute(), wait);
    }
    Duration opsWait = Duration.ZERO;
    if (stats.ops() > 0) {
      opsWait = bucket(ops, peer, s.opsPerMinute(), Duration.ofMinutes(1)).take(stats.ops());
      if (!opsWait.isZero()) {
        slowed(peer, "limit.opsPerMinute", s.opsPerMinute(), opsWait);
      }
    }
    if (opsWait.compareTo(wait) > 0) {
      return Verdict.throttle(opsWait, "more than " + s.opsPerMinute() + " operations a minute");
    }
    return Verdict.throttle(wait, "more than " + s.changesPerMinute() + " changes a minute");
  }

  @Override
  public Verdict newDocument(
      PeerId peer, SpaceId space, DocumentRef.Kind kind, long bytes, boolean created) {
    if (kind != DocumentRef.Kind.PAGE) {
      return Verdict.ACCEPT;
    }
    ResourceSettings s = settings.get();
    if (bytes > s.maxPageBytes()) {
      return refuse(
          peer, "limit.maxPageBytes", s.maxPageBytes(), "sent a page of " + bytes + " bytes");
    }
    if (!created) {
      return Verdict.ACCEPT; // catching up on pages listed before: not new pages an hour
    }
    TokenBucket b = bucket(pages, peer, s.pagesPerHour(), Duration.ofHours(1));
    Duration wait = b.take(1);
    if (!wait.isZero()) {
      slowed(peer, "limit.pagesPerHour", s.pagesPerHour(), wait);
    }
    return Verdict.throttle(wait, "more than " + s.pagesPerHour() + " new pages an hour");
  }

  @Override
  public Duration throttledFor(PeerId peer) {
    ResourceSettings s = settings.get();
    Duration d = Duration.ZERO;
    TokenBucket c = changes.get(peer);
    if (c != null) {
      c.set(s.changesPerMinute(), Duration.ofMinutes(1));
      d = c.debt();
    }
    TokenBucket p = pages.get(peer);
    if (p != null) {
      p.set(s.pagesPerHour(), Duration.ofHours(1));
      Duration pd = p.debt();
      d = pd.compareTo(d) > 0 ? pd : d;
    }
    TokenBucket o = ops.get(peer);
    if (o != null) {
      o.set(s.opsPerMinute(), Duration.ofMinutes(1));
      Duration od = o.debt();
      d = od.compareTo(d) > 0 ? od : d;
    }
    return d;
  }

  @Override
  public boolean mayRequest(PeerId peer, SpaceId space, DocumentRef.Kind kind) {
    return !storageFull(peer, space);
  }

  /**
   * Whether {@code space} is one I hold for others and the storage kept for others is at its cap
   * (then nothing more of it is taken from others: neither new documents nor changes to those held;
   * nothing is deleted). Records the event.
   */
  private boolean storageFull(PeerId peer, SpaceId space) {
    long capMiB = settings.get().storageForOthersMiB();
    if (capMiB == 0 || storage.isMine(space)) {
      return false;
    }
    if (storage.bytes() < capMiB << 20) {
      return false;
    }
    record(peer, "cap.storageForOthersMiB", capMiB, false, "storage kept for others is full");
    return true;
  }

  @Override
  public int maxInboundStreams(PeerId peer) {
    return (int) settings.get().maxStreamsPerPeer();
  }

  /** Key of the event recorded when a peer's changes were left out by the space's rules. */
  public static final String CHANGES_NOT_ALLOWED = "rule.changesNotAllowed";

  @Override
  public void changesRefused(PeerId peer, SpaceId space, String reason) {
    record(peer, CHANGES_NOT_ALLOWED, 0, true, "changes to " + space + " left out: " + reason);
  }

  @Override
  public void streamRefused(PeerId peer, int limit) {
    record(peer, "limit.maxStreamsPerPeer", limit, true, "opened more than " + limit + " streams");
  }

  // ------------------------------------------------------------------ events

  /** The latest events, oldest first. */
  public synchronized List<LimitEvent> events() {
    return List.copyOf(events);
  }

  /** Tells {@code l} of each new event (on the thread that caused it: be quick). */
  public AutoCloseable addListener(Consumer<LimitEvent> l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  private TokenBucket bucket(Map<PeerId, TokenBucket> map, PeerId peer, long n, Duration period) {
    if (map.size() >= MAX_PEERS && !map.containsKey(peer)) {
      map.clear(); // forget idle peers rather than grow without bound
    }
    TokenBucket b = map.computeIfAbsent(peer, p -> new TokenBucket(n, period, clock));
    b.set(n, period);
    return b;
  }

  private Verdict refuse(PeerId peer, String limit, long value, String what) {
    String reason = what + ", more than " + value + " (" + limit + ")";
    record(peer, limit, value, true, reason);
    return Verdict.reject(reason);
  }

  private void slowed(PeerId peer, String limit, long value, Duration wait) {
    record(
        peer,
        limit,
        value,
        false,
        "slowed down for " + wait.toMillis() + " ms: over " + limit + " = " + value);
  }

  private void record(PeerId peer, String limit, long value, boolean refused, String text) {
    Instant now = clock.instant();
    String key = peer + " " + limit;
    Long last = lastLogged.get(key);
    if (last == null || now.toEpochMilli() - last >= 60_000) {
      if (lastLogged.size() >= MAX_PEERS) {
        lastLogged.clear();
      }
      lastLogged.put(key, now.toEpochMilli());
      LOG.warn("Peer {}: {}", peer, text);
      LimitEvent e = new LimitEvent(now, peer.toString(), limit, value, refused);
      synchronized (this) {
        events.addLast(e);
        while (events.size() > KEEP_EVENTS) {
          events.removeFirst();
        }
      }
      for (Consumer<LimitEvent> l : listeners) {
        try {
          l.accept(e);
        } catch (RuntimeException ex) {
          LOG.warn("A limit listener failed", ex);
        }
      }
    }
  }
}
