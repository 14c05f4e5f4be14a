package org.dure.net.host;

import java.io.IOException;
import java.time.Duration;
import org.dure.net.multiaddr.Multiaddr;

/**
 * Dials {@code /p2p-circuit} addresses for a {@link Host} (installed by the relay client with
 * {@link Host#setCircuitDialer}); the host hands it every such address given to {@link Host#dial}.
 */
@FunctionalInterface
public interface CircuitDialer {
  /**
   * Opens a relayed connection to the peer named at the end of {@code address}, e.g. {@code
   * /ip4/…/tcp/…/p2p/RELAY/p2p-circuit/p2p/TARGET}, giving up on a TCP connect to the relay after
   * {@code connectTimeout} without an answer (a quick try of a reconnector is quick through a relay
   * too).
   */
  Connection dial(Multiaddr address, Duration connectTimeout) throws IOException;
}
