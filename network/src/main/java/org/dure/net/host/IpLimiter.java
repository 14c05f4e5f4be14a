package org.dure.net.host;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inbound connections per remote IP address: at most {@link ConnectionLimits#maxConnectionsPerIp}
 * open at once (handshakes included) and {@link ConnectionLimits#newConnectionsPerIpPerMinute} new
 * ones a minute (a token bucket holding a minute's worth). A fresh identity costs an attacker
 * nothing, an address does: this is what bounds floods of new identities before their handshakes.
 * Remembers at most {@value #MAX_ADDRESSES} addresses (the least recently seen idle one is
 * forgotten first). Thread-safe.
 */
final class IpLimiter {
  static final int MAX_ADDRESSES = 4096;

  private static final class Entry {
    int open;
    double tokens;
    long last;
  }

  private final int maxOpen;
  private final int perMinute;
  private final LinkedHashMap<InetAddress, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  IpLimiter(int maxOpen, int perMinute) {
    this.maxOpen = maxOpen;
    this.perMinute = perMinute;
  }

  /**
   * A connection from {@code ip} arrives at {@code nowNanos}: true if it may be accepted (then it
   * counts as open until {@link #closed}), false if over a limit.
   */
  synchronized boolean accept(InetAddress ip, long nowNanos) {
    Entry e = entries.get(ip);
    if (e == null) {
      e = new Entry();
      e.tokens = perMinute;
      e.last = nowNanos;
      entries.put(ip, e);
      trim();
    } else {
      double refill = (nowNanos - e.last) / 60e9 * perMinute;
      e.tokens = Math.min(perMinute, e.tokens + Math.max(0, refill));
      e.last = nowNanos;
    }
    if (e.open >= maxOpen || e.tokens < 1) {
      return false;
    }
    e.tokens -= 1;
    e.open++;
    return true;
  }

  /** A connection {@link #accept}ed from {@code ip} closed. */
  synchronized void closed(InetAddress ip) {
    Entry e = entries.get(ip);
    if (e != null && e.open > 0) {
      e.open--;
    }
  }

  /** Connections open from {@code ip} now. */
  synchronized int open(InetAddress ip) {
    Entry e = entries.get(ip);
    return e == null ? 0 : e.open;
  }

  synchronized int addresses() {
    return entries.size();
  }

  /** Forgets the least recently seen addresses without open connections, beyond the bound. */
  private void trim() {
    var it = entries.entrySet().iterator();
    while (entries.size() > MAX_ADDRESSES && it.hasNext()) {
      Map.Entry<InetAddress, Entry> oldest = it.next();
      if (oldest.getValue().open == 0) {
        it.remove();
      }
    }
  }
}
