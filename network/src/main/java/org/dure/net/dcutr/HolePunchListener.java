package org.dure.net.dcutr;

import java.time.Duration;
import org.dure.identity.PeerId;
import org.dure.net.host.Connection;

/** What became of hole punches (for the network page, logs and benchmarks). */
public interface HolePunchListener {
  /**
   * A direct connection to {@code peer} replaced the relayed one.
   *
   * @param connection the direct connection
   * @param took from the relayed connection's identify to the direct connection
   * @param attempt which attempt succeeded (0: a plain direct dial, no hole punch needed)
   */
  default void upgraded(PeerId peer, Connection connection, Duration took, int attempt) {}

  /** Every attempt failed; the relayed connection stays. */
  default void failed(PeerId peer, String reason) {}
}
