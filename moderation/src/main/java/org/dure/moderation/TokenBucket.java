package org.dure.moderation;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket that may go into debt: {@link #take} always succeeds and says how long the taker
 * should wait until the debt is repaid at the refill rate. Holds at most {@code capacity} tokens
 * (filled at the start). Thread-safe.
 */
final class TokenBucket {
  private final Clock clock;
  private double capacity;
  private double perMilli;
  private double tokens;
  private long last;

  TokenBucket(double capacity, Duration refillPeriod, Clock clock) {
    this.clock = clock;
    this.last = clock.millis();
    set(capacity, refillPeriod);
    this.tokens = capacity;
  }

  /** Changes the rate: {@code capacity} tokens refill over {@code refillPeriod}. */
  synchronized void set(double capacity, Duration refillPeriod) {
    this.capacity = capacity;
    this.perMilli = capacity / refillPeriod.toMillis();
    this.tokens = Math.min(tokens, capacity);
  }

  /** How long until the bucket is out of debt (zero if it is not), at the current rate. */
  synchronized Duration debt() {
    long now = clock.millis();
    tokens = Math.min(capacity, tokens + (now - last) * perMilli);
    last = now;
    return tokens >= 0 ? Duration.ZERO : Duration.ofMillis((long) Math.ceil(-tokens / perMilli));
  }

  /** Takes {@code n} tokens; returns how long to wait before going on (zero: none). */
  synchronized Duration take(double n) {
    long now = clock.millis();
    tokens = Math.min(capacity, tokens + (now - last) * perMilli);
    last = now;
    tokens -= n;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis((long) Math.ceil(-tokens / perMilli));
  }
}
