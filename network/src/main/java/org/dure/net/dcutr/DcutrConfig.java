package org.dure.net.dcutr;

import java.time.Duration;

/**
 * DCUtR limits with defaults ({@link #defaults()}).
 *
 * @param attempts hole punches tried per relayed connection ("Inbound peers SHOULD retry twice
 *     (thus a total of 3 attempts)")
 * @param streamTimeout limit for the CONNECT/SYNC exchange of one attempt
 * @param dialTimeout limit for the simultaneous open of one attempt
 * @param gracePeriod how long the relayed connection stays open after the direct one is up, for the
 *     protocols on it to move over
 * @param allowPrivateAddresses whether private and loopback addresses may be exchanged and dialled
 *     (tests, LAN setups); off by default, as a hole punch is for addresses on the internet
 * @param directDialFirst whether the inbound side first dials the other's public addresses plainly
 *     (the spec's "unilateral connection upgrade"); on by default, off in tests that must exercise
 *     the hole punch on loopback, where every address answers
 */
public record DcutrConfig(
    int attempts,
    Duration streamTimeout,
    Duration dialTimeout,
    Duration gracePeriod,
    boolean allowPrivateAddresses,
    boolean directDialFirst) {
  public DcutrConfig {
    if (attempts < 1) {
      throw new IllegalArgumentException("at least one attempt");
    }
    if (!streamTimeout.isPositive() || !dialTimeout.isPositive() || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("invalid timeouts");
    }
  }

  public static DcutrConfig defaults() {
    return new DcutrConfig(
        3, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2), false, true);
  }

  public DcutrConfig withAllowPrivateAddresses(boolean allow) {
    return new DcutrConfig(
        attempts, streamTimeout, dialTimeout, gracePeriod, allow, directDialFirst);
  }

  public DcutrConfig withDirectDialFirst(boolean first) {
    return new DcutrConfig(
        attempts, streamTimeout, dialTimeout, gracePeriod, allowPrivateAddresses, first);
  }

  public DcutrConfig withDialTimeout(Duration d) {
    return new DcutrConfig(
        attempts, streamTimeout, d, gracePeriod, allowPrivateAddresses, directDialFirst);
  }
}
