package org.dure.net.host;

import java.util.function.LongSupplier;

/**
 * A token bucket for bytes sent: shared by every connection of a host (the upload cap), set live
 * with {@link #setBytesPerSecond} (0 = unlimited).
 *
 * <p>Design: nobody ever waits inside this class. A connection's writer {@linkplain #take debits}
 * what it is about to send and learns how long to hold it back; the bucket may go into debt, so
 * several connections sending at once are paced one after another and together stay at the rate.
 * The connection's {@code TrafficHandler} keeps the held-back buffers in order and sends them from
 * a task scheduled on its event loop, so the event loop never sleeps and other connections' reads
 * and writes go on. Nothing piles up without bound: a Yamux stream's writer blocks once the peer's
 * receive window is used up, and the peer grants more only as the held-back data reaches it. The
 * bucket holds at most a fifth of a second's bytes (at least 4 KiB): after an idle spell a burst is
 * short and a sustained transfer measures at the rate, and a writer that wakes up to 200 ms late (a
 * busy machine) makes up for it instead of losing that time (with a twentieth of a second, a
 * relayed transfer measured 5.4 % under the cap at a load of 9–15 on 2 cores).
 */
public final class UploadLimiter {
  private static final long MIN_BURST = 4096;

  private final LongSupplier nanoTime;
  private long rate; // bytes per second; 0 = unlimited
  private double tokens;
  private long last;

  /** An unlimited limiter on the system's nano clock. */
  public UploadLimiter() {
    this(0, System::nanoTime);
  }

  public UploadLimiter(long bytesPerSecond) {
    this(bytesPerSecond, System::nanoTime);
  }

  /** For tests: a limiter on a given nano clock. */
  public UploadLimiter(long bytesPerSecond, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.last = nanoTime.getAsLong();
    setBytesPerSecond(bytesPerSecond);
  }

  /** Sets the rate (bytes a second; 0 = unlimited), effective for the next bytes debited. */
  public synchronized void setBytesPerSecond(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("the rate is not negative");
    }
    rate = bytesPerSecond;
    tokens = Math.min(tokens, burst());
  }

  public synchronized long bytesPerSecond() {
    return rate;
  }

  public synchronized boolean isUnlimited() {
    return rate == 0;
  }

  private double burst() {
    return Math.max(MIN_BURST, rate / 5.0);
  }

  /**
   * Debits {@code bytes} about to be sent and returns how many nanoseconds to hold them back (0:
   * send now).
   */
  public synchronized long take(long bytes) {
    long now = nanoTime.getAsLong();
    if (rate == 0) {
      last = now;
      return 0;
    }
    tokens = Math.min(burst(), tokens + (now - last) * (rate / 1e9));
    last = now;
    tokens -= bytes;
    if (tokens >= 0) {
      return 0;
    }
    return (long) Math.ceil(-tokens * 1e9 / rate);
  }
}
