package org.dure.net.relay;

import java.time.Duration;

/**
 * Limits of the relay service, with defaults ({@link #defaults()}).
 *
 * @param maxReservations peers holding a reservation at once; more are refused
 *     (RESERVATION_REFUSED)
 * @param maxCircuits relayed connections at once; more are refused (RESOURCE_LIMIT_EXCEEDED)
 * @param maxCircuitsPerPeer relayed connections from or to one peer at once
 * @param reservationTtl how long a reservation lasts unless refreshed
 * @param limit the limit of each relayed connection (duration, bytes each way), sent to both ends
 */
public record RelayConfig(
    int maxReservations,
    int maxCircuits,
    int maxCircuitsPerPeer,
    Duration reservationTtl,
    RelayLimit limit) {
  public RelayConfig {
    if (maxReservations < 1 || maxCircuits < 1 || maxCircuitsPerPeer < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (reservationTtl.isNegative() || reservationTtl.toSeconds() < 1) {
      throw new IllegalArgumentException("invalid reservation ttl");
    }
  }

  /**
   * 64 reservations, 16 circuits (4 per peer), reservations for an hour, circuits for 10 minutes
   * and 16 MiB each way. Dure has no hole punching, so a circuit carries a whole sync session: its
   * limit is larger than go-libp2p's (2 minutes, 128 KiB), which only covers a hole punch.
   */
  public static RelayConfig defaults() {
    return new RelayConfig(
        64, 16, 4, Duration.ofHours(1), RelayLimit.of(Duration.ofMinutes(10), 16L << 20));
  }

  public RelayConfig withLimit(RelayLimit l) {
    return new RelayConfig(maxReservations, maxCircuits, maxCircuitsPerPeer, reservationTtl, l);
  }

  public RelayConfig withMaxCircuits(int n, int perPeer) {
    return new RelayConfig(maxReservations, n, perPeer, reservationTtl, limit);
  }

  public RelayConfig withMaxReservations(int n) {
    return new RelayConfig(n, maxCircuits, maxCircuitsPerPeer, reservationTtl, limit);
  }
}
